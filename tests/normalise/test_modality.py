"""The ATMP modality rules (fundgap.normalise.modality).

Expected modalities come from the EU definitions, applied by hand to texts written for the
test (the labelled SYNTHETIC sets in tests/data/modality/), never from the code under test.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fundgap.errors import FundgapError
from fundgap.normalise.modality import explain_modality, modality_of
from fundgap.schema import MODALITIES, MODALITY_DTYPE

DATA = Path(__file__).resolve().parents[1] / "data" / "modality"
ATMP = ("gene_therapy", "cell_therapy", "tissue_engineered")


def _labelled(name: str) -> pd.DataFrame:
    path = DATA / f"SYNTHETIC_atmp_descriptions_{name}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# SYNTHETIC")  # named as synthetic in the header too
    n_comment = sum(1 for line in lines if line.startswith("#"))
    return pd.read_csv(path, skiprows=n_comment, keep_default_na=False)


def _scores(expected: pd.Series, got: pd.Series) -> dict[str, tuple[float, float, int]]:
    """Precision, recall and support per class, counted here (no library, no code under test)."""
    out = {}
    exp, pred = expected.to_numpy(dtype=object), got.to_numpy(dtype=object)
    for c in sorted(set(exp)):
        tp = int(np.sum((exp == c) & (pred == c)))
        n_pred, n_true = int(np.sum(pred == c)), int(np.sum(exp == c))
        out[c] = (tp / n_pred if n_pred else 0.0, tp / n_true, n_true)
    return out


# --------------------------------------------------------------------------- rules

@pytest.mark.parametrize("text, expected", [
    # CAR-T are genetically modified cells: gene therapy (Reg. 1394/2007 Art. 2(5))
    ("Autologous CAR-T cell therapy for B-cell lymphoma", "gene_therapy"),
    ("TCR-T cells against MAGE-A4", "gene_therapy"),
    ("Ex vivo lentiviral gene therapy of haematopoietic stem cells", "gene_therapy"),
    # cells that repair a tissue: tissue engineered (Art. 2(4)), not cell therapy
    ("Autologous chondrocytes grown on a membrane to repair cartilage defects", "tissue_engineered"),
    ("Mesenchymal stromal cells for graft-versus-host disease", "cell_therapy"),
    # oncolytic viruses: gene therapy
    ("Oncolytic adenovirus armed with an immune-stimulating transgene", "gene_therapy"),
    # synthetic oligonucleotides and infectious-disease vaccines: not gene therapy
    ("Antisense oligonucleotides for spinal muscular atrophy", "other"),
    ("siRNA therapeutics for liver diseases", "other"),
    ("mRNA vaccines against influenza", "other"),
    ("Adenovirus-vectored vaccine against Ebola", "other"),
    # hard negatives named in issue 18
    ("Cell-based assays for drug screening", "other"),
    ("Gene sequencing instruments for research labs", "other"),
    ("Cell culture media for cell therapy manufacturing", "other"),
    ("Tissue diagnostics: digital pathology software", "other"),
    ("CRISPR research reagents and guide RNA libraries", "other"),
    ("Stem cell banking and storage for families", "other"),
    ("Small-molecule drugs for non-small cell lung cancer", "other"),
    ("Veterinary stem cell therapy for horses", "other"),
    # no text / generic labels only
    ("", "unknown"),
    ("  n/a ", "unknown"),
    ("Healthcare / Pharmaceuticals and Biotechnology", "unknown"),
    ("Biotechnology, Health Care, Life Science", "unknown"),
    ("Software", "other"),
])
def test_single_texts(text, expected):
    assert modality_of([text]).tolist() == [expected]


def test_missing_text_is_unknown_and_result_is_the_schema_dtype():
    out = modality_of(pd.Series([None, "AAV gene therapy"], index=[10, 11]))
    assert out.dtype == MODALITY_DTYPE and out.dtype.ordered
    assert out.index.tolist() == [10, 11]
    assert out.tolist() == ["unknown", "gene_therapy"]
    assert list(out.cat.categories) == list(MODALITIES)


def test_columns_are_read_together():
    sector = ["Healthcare", "Healthcare", "Healthcare", None, "Biotechnology"]
    desc = [
        "Develops AAV gene therapies for haemophilia",      # text in one column suffices
        None,                                               # a generic label only
        "Contract manufacturer of viral vectors",           # supplier ...
        "Cell therapy for knee osteoarthritis",
        "Cell culture media",
    ]
    tags = ["", "", "gene therapy", "", "cell therapy; stem cells"]
    got = modality_of(sector, desc, tags).tolist()
    # row 2: the supplier signal of the description outweighs the tag; row 4: media supplier
    assert got == ["gene_therapy", "unknown", "other", "cell_therapy", "other"]


def test_gene_signal_in_one_column_and_cell_in_another_is_gene_therapy():
    assert modality_of(["cell therapy"], ["genetically modified T cells"]).tolist() == ["gene_therapy"]
    assert modality_of(["cell therapy"], ["tissue engineering"]).tolist() == ["tissue_engineered"]


def test_developer_signal_lifts_the_supplier_rule():
    text = ("Clinical-stage developer of allogeneic CAR-T cells for leukaemia, with its own "
            "manufacturing services")
    assert modality_of([text]).tolist() == ["gene_therapy"]
    assert modality_of(["Provider of CAR-T manufacturing services"]).tolist() == ["other"]


def test_negated_modification_and_unicode_dashes():
    assert modality_of(["non-genetically modified NK cell therapy"]).tolist() == ["cell_therapy"]
    assert modality_of(["CAR\u2011T cell therapy"]).tolist() == ["gene_therapy"]  # non-breaking hyphen
    assert modality_of(["shopping cart software"]).tolist() == ["other"]


def test_categorical_and_string_inputs_agree_and_rows_follow_their_distinct_texts():
    texts = ["AAV gene therapy", "Biotechnology", None, "MSC therapy", "AAV gene therapy"] * 40
    s = pd.Series(texts, dtype="string[pyarrow]")
    a = modality_of(s)
    b = modality_of(s.astype("category"))
    c = modality_of(pd.Series(texts, dtype=object))
    assert a.tolist() == b.tolist() == c.tolist()
    assert a.tolist()[:5] == ["gene_therapy", "unknown", "unknown", "cell_therapy", "gene_therapy"]


def test_explain_shows_the_signals():
    e = explain_modality(["Cell culture media for cell therapy production", "Biotechnology", None])
    assert e["modality"].astype(object).tolist() == ["other", "unknown", "unknown"]
    assert e.loc[0, ["cell", "supplier", "developer"]].tolist() == [True, True, False]
    assert e.loc[1, ["present", "informative"]].tolist() == [True, False]
    assert not e.loc[2, "present"]


def test_bad_calls():
    with pytest.raises(FundgapError, match="at least one"):
        modality_of()
    with pytest.raises(FundgapError, match="same length"):
        modality_of(["a", "b"], ["c"])


# --------------------------------------------------------------------------- labelled sets

def test_labelled_sets_are_big_enough_and_cover_the_hard_negatives():
    dev = _labelled("dev")
    assert len(dev) >= 60 and dev["id"].is_unique
    assert set(dev["expected"]) == set(MODALITIES)
    notes = " ".join(dev["note"]).lower()
    for neg in ("cell-based assays", "sequencing tools", "culture media", "tissue diagnostics",
                "crispr reagents", "expression profiling", "stem-cell banking", "cell counters",
                "tissue-engineering equipment"):
        assert f"hard negative: {neg}" in notes
    for name in ("heldout_r1", "heldout_r2", "heldout_r3", "heldout_r4", "heldout_r5"):
        held = _labelled(name)
        assert len(held) >= 20 and not set(held["text"]) & set(dev["text"])
        assert set(held["expected"]) <= set(MODALITIES)


#: Floors for the development set and the held-out rounds that were used to mend the rules
#: (measured: 1.00 for every class; the floors leave room for a future mend that trades one
#: error for a better rule).
SEEN_FLOOR = 0.95


@pytest.mark.parametrize("name", ["dev", "heldout_r1", "heldout_r2", "heldout_r3", "heldout_r4"])
def test_precision_and_recall_on_the_sets_the_rules_have_seen(name):
    d = _labelled(name)
    scores = _scores(d["expected"], modality_of(d["text"]).astype(object))
    low = {c: s for c, s in scores.items() if min(s[:2]) < SEEN_FLOOR}
    assert low == {}


#: The unseen set of the shipped rules (round 5, written after the last change of the
#: rules). Measured (METHODOLOGY.md section 1.7): gene 1.00 / 0.86, cell 0.80 / 0.80,
#: tissue 1.00 / 0.83, other 0.83 / 1.00, unknown 1.00 / 1.00 (precision / recall).
UNSEEN_FLOORS = {
    "gene_therapy": (0.95, 0.85),
    "cell_therapy": (0.75, 0.75),
    "tissue_engineered": (0.95, 0.80),
    "other": (0.80, 0.95),
    "unknown": (0.95, 0.95),
}


def test_precision_and_recall_on_the_unseen_round():
    d = _labelled("heldout_r5")
    scores = _scores(d["expected"], modality_of(d["text"]).astype(object))
    for c, (p_floor, r_floor) in UNSEEN_FLOORS.items():
        precision, recall, support = scores[c]
        assert support >= 2
        assert precision >= p_floor and recall >= r_floor, (c, precision, recall)
    atmp = d["expected"].isin(ATMP)
    got_atmp = modality_of(d["text"]).isin(ATMP).to_numpy()
    # ATMP or not (the lens's first question): no ATMP taken for other, at most 2 missed
    assert int((got_atmp & ~atmp.to_numpy()).sum()) == 0
    assert int((~got_atmp & atmp.to_numpy()).sum()) <= 2


def test_many_distinct_texts_split_in_two_give_the_labels_of_one_pass(monkeypatch):
    # the labelled sets' texts, each with a row number (distinct texts, as free-text
    # descriptions are): classified in two halves on two threads, the labels are those of
    # the whole set in one pass
    from fundgap.normalise import modality as mod

    frames = [_labelled(n) for n in ("dev", "heldout_r1", "heldout_r2", "heldout_r3",
                                     "heldout_r4", "heldout_r5")]
    d = pd.concat(frames, ignore_index=True)
    texts = pd.Series([f"{t} (ref {i})" for i, t in enumerate(d["text"])], dtype="str")
    one_pass = modality_of(texts)
    monkeypatch.setattr(mod, "_SPLIT_FROM", 2)
    split = modality_of(texts)
    assert split.tolist() == one_pass.tolist()


def test_categorical_read_from_its_arrow_categories_as_the_object_path():
    # a loader's label column comes as a categorical of Arrow strings: its categories are
    # classified from their buffers; the labels equal those of the same texts as objects
    d = pd.concat([_labelled(n) for n in ("dev", "heldout_r5")], ignore_index=True)
    texts = [*d["text"], None, "", " n/a ", *d["text"][:5]]
    as_objects = modality_of(pd.Series(texts, dtype=object))
    as_categorical = modality_of(pd.Series(texts, dtype="str").astype("category"))
    assert as_categorical.tolist() == as_objects.tolist()


def test_every_gene_and_vaccine_pattern_needs_a_word_of_the_prefilter():
    # a pattern added without one of the prefilter's words would be skipped on texts that lack
    # them: each pattern's own text must hold one (car: as the prefilter's car / cars / cart)
    from fundgap.normalise import modality as mod

    words = [w for w in mod._GENE_ANCHORS.removeprefix("(?i)").split("|") if not w.startswith("\\b")]
    for p in (*mod.GENE_PATTERNS, *mod.VACCINE_PATTERNS):
        low = p.lower()
        assert any(w in low for w in words) or "car" in low, p


def test_gene_prefilter_gives_the_flags_of_every_pattern_on_every_text(monkeypatch):
    # the labelled texts and SYNTHETIC texts made of the patterns' own words, flagged with the
    # prefilter and with a prefilter that lets every text through (the flags of before)
    from fundgap.normalise import modality as mod

    rng = np.random.default_rng(11)
    vocab = ["gene", "therapy", "CAR", "car", "cars", "cart", "care", "T", "cells", "cell",
             "editing", "vaccine", "flu", "AAV9", "lentiviral", "vector", "oncolytic", "virus",
             "kills", "tumour", "TCR", "receptor", "engineered", "with", "a", "chimeric",
             "antigen", "crispr", "patients", "in", "vivo", "tissue", "scaffold", "-", ";", ".",
             "software", "healthcare", "cardio", "transduced", "plasmid", "dna", "encoding"]
    synthetic = [" ".join(rng.choice(vocab, size=rng.integers(1, 12))) for _ in range(3000)]
    d = pd.concat([_labelled(n) for n in ("dev", "heldout_r1", "heldout_r2", "heldout_r3",
                                          "heldout_r4", "heldout_r5")], ignore_index=True)
    texts = pd.Series([*d["text"], *synthetic], dtype=object)
    with_prefilter = mod._text_bits(texts)
    monkeypatch.setattr(mod, "_GENE_ANCHORS", r"(?s)^")  # (every text a candidate)
    every_text = mod._text_bits(texts)
    assert (with_prefilter == every_text).all()
    assert (every_text & mod._GENE).sum() > 100  # (the texts do exercise the gene signal)


def test_masking_gives_the_text_of_one_pass_of_every_mask_pattern():
    # the mask phrases (exosome windows among them) and ordinary words, masked by the split
    # passes and by one pass of the whole alternation (the former way, slow on big inputs)
    import pyarrow.compute as pc

    from fundgap.normalise import modality as mod

    rng = np.random.default_rng(5)
    vocab = ["exosomes", "extracellular vesicles", "secretome", "stem cells", "banking",
             "cord blood", "storage", "crispr", "kits", "gene editing", "crops", "organoids",
             "small cell", "lung", "cancer", "cell-free", "t cell", "engagers", "non-modified",
             "cell therapy", "for", "drug", "screening", "software", "retail", "payments", ".",
             ";", "platform", "induced pluripotent", "disease models", "msc", "in", "patients"]
    synthetic = [" ".join(rng.choice(vocab, size=rng.integers(1, 16))) for _ in range(2000)]
    d = pd.concat([_labelled(n) for n in ("dev", "heldout_r5")], ignore_index=True)
    arr = mod._arrow_texts(pd.Series([*d["text"], *synthetic, None, ""], dtype=object))
    one_pass = pc.replace_substring_regex(arr, mod._alternation(mod.MASK_PATTERNS), " ; ")
    got = mod._masked(arr)
    assert got.to_pylist() == one_pass.to_pylist()
    assert sum(a != b for a, b in zip(got.to_pylist(), arr.to_pylist(), strict=True)) > 500


def test_dashes_quotes_and_spaces_made_ascii_only_where_a_text_is_not_ascii():
    from fundgap.normalise import modality as mod

    texts = pd.Series(["CAR\u2011T cell therapy", "patients\u2019 own cells", "plain ascii",
                       "non\u00a0small cell", None, "Wrocław \u2013 gene\u2010therapy", ""],
                      dtype=object)
    assert mod._arrow_texts(texts).to_pylist() == [
        "CAR-T cell therapy", "patients' own cells", "plain ascii", "non small cell", None,
        "Wrocław - gene-therapy", ""]
