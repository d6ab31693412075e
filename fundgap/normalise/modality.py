"""The therapeutic modality of a round's company (the ATMP lens), from providers' text.

A row gets one of :data:`fundgap.schema.MODALITIES`:

* ``gene_therapy``, ``cell_therapy``, ``tissue_engineered``: the three classes of
  advanced therapy medicinal products (ATMPs) of Regulation (EC) No 1394/2007,
  Art. 2(1)(a), with the gene therapy and somatic cell therapy medicinal products as
  defined in Directive 2001/83/EC, Annex I, Part IV (as amended by Directive
  2009/120/EC) and the tissue engineered product of Art. 2(1)(b) of the Regulation;
* ``other``: the row has text and the text shows no ATMP (or shows a supplier of
  tools, reagents or services to ATMP developers rather than a developer);
* ``unknown``: no text at all, or only generic sector labels that cannot tell a
  modality ("Biotechnology", "Pharmaceuticals and Biotechnology", "Health Care",
  "Life Sciences", "Oncology", the CrunchBase 2013 category ``biotech`` ...).

How a text is read (case-insensitive; every pattern is in the tables below, matched
by Arrow's RE2 engine on the *distinct* texts of each column, and broadcast to the rows
through integer codes):

1. **Masks**: phrases whose cell/gene/tissue words do not describe a medicine are
   blanked first: vaccines against infectious diseases (excluded from gene therapy by
   the definition), gene-editing research tools and agricultural editing, stem-cell
   and cord-blood banking, stem-cell/bone-marrow transplantation (minimally
   manipulated cells are not ATMPs), cosmetic "plant stem cells", cells or stem cells
   "for drug screening / research / disease models", organoids and organs-on-chips,
   cancer names with "cell" in them (non-small cell, B-cell lymphoma ...),
   T-cell engagers, cell-free DNA.
2. **Signals**: gene (:data:`GENE_PATTERNS`), cell (:data:`CELL_PATTERNS`), tissue
   (:data:`TISSUE_PATTERNS`), supplier (:data:`SUPPLIER_PATTERNS`: CDMO, reagents,
   kits, instruments, media, software, services, banking ...) and developer
   (:data:`DEVELOPER_PATTERNS`: clinical stage, candidates, pipeline, "to treat", a
   disease named ...).
3. **Decision** per row, over all its text columns together: a supplier signal without
   a developer signal -> ``other``; else gene -> ``gene_therapy``, else tissue ->
   ``tissue_engineered``, else cell -> ``cell_therapy`` (the precedence of Art. 2(5) and
   2(4) of Regulation (EC) No 1394/2007: a product that falls within the gene therapy
   definition and a cell or tissue definition is a gene therapy medicinal product; one
   within the tissue engineered and somatic cell definitions is a tissue engineered
   product); else ``other`` if any text says more than a generic label; else ``unknown``.

Rulings on borderline classes (reasons in METHODOLOGY.md section 1.7):

* CAR-T, CAR-NK, TCR-T and other genetically modified cells are **gene therapy**
  (Art. 2(5); the EMA authorised its CAR-T products as gene therapy medicinal
  products);
* oncolytic viruses are **gene therapy** (the engineered viruses in development carry
  recombinant nucleic acid; the EMA authorised talimogene laherparepvec as a gene
  therapy medicinal product);
* antisense oligonucleotides, siRNA, exon skipping and oligonucleotide RNA editing are
  **other**: chemically synthesised oligonucleotides are not recombinant nucleic acid;
  an RNA delivered by a viral vector (AAV-shRNA) is gene therapy by its vector;
* mRNA vaccines against infectious diseases are **other** (excluded by the definition);
  other mRNA medicines are **other** unless they carry a gene editor (then gene therapy);
* cells expanded or differentiated for an immunological, pharmacological or metabolic
  action are **cell therapy**; cells described as regenerating, repairing or replacing
  a tissue (cartilage, skin, cornea, bone ...) are **tissue engineered** (Art. 2(1)(b)
  and 2(4)).

Examples
--------
>>> from fundgap.normalise.modality import modality_of
>>> modality_of(["Autologous CAR-T cell therapy for lymphoma",
...              "Autologous chondrocyte implantation for knee cartilage defects",
...              "CRISPR research reagents and knockout cell lines",
...              "Biotechnology", None]).tolist()
['gene_therapy', 'tissue_engineered', 'other', 'unknown', 'unknown']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap._arrow import arrow_data
from fundgap.errors import FundgapError
from fundgap.normalise._modality_rules import (
    _CELL_FREE,
    CELL_PATTERNS,
    DEVELOPER_PATTERNS,
    GENE_PATTERNS,
    GENERIC_PATTERNS,
    MASK_PATTERNS,
    SUPPLIER_PATTERNS,
    TISSUE_PATTERNS,
    VACCINE_PATTERNS,
    VETERINARY_PATTERNS,
)
from fundgap.normalise._util import STRING, as_series, map_unique_codes
from fundgap.schema import MODALITIES, MODALITY_DTYPE

__all__ = [
    "CELL_PATTERNS",
    "DEVELOPER_PATTERNS",
    "GENERIC_PATTERNS",
    "GENE_PATTERNS",
    "MASK_PATTERNS",
    "SUPPLIER_PATTERNS",
    "TISSUE_PATTERNS",
    "VACCINE_PATTERNS",
    "VETERINARY_PATTERNS",
    "explain_modality",
    "modality_of",
]

_BLANK = r"(?i)^[\s\-/.,;:|]*(?:n/?a|none|null|unknown|undisclosed|#n/a)?[\s\-/.,;:|]*$"
#: Bits of the flags of a text.
_N_BITS = 8
_PRESENT, _INFORMATIVE, _GENE, _CELL, _TISSUE, _SUPPLIER, _DEVELOPER, _VETERINARY = (
    1 << i for i in range(_N_BITS))
_SIGNALS = (("gene", _GENE, GENE_PATTERNS), ("cell", _CELL, CELL_PATTERNS),
            ("tissue", _TISSUE, TISSUE_PATTERNS), ("supplier", _SUPPLIER, SUPPLIER_PATTERNS),
            ("developer", _DEVELOPER, DEVELOPER_PATTERNS),
            ("veterinary", _VETERINARY, VETERINARY_PATTERNS))


def _alternation(patterns: tuple[str, ...]) -> str:
    return r"(?i)(?:" + "|".join(patterns) + r")"


def _decide(bits: int) -> str:
    """The modality of a row from the union of the flags of its texts."""
    if not bits & _PRESENT:
        return "unknown"
    atmp = bits & (_GENE | _CELL | _TISSUE)
    if atmp and bits & _SUPPLIER and not bits & _DEVELOPER:
        return "other"  # a supplier to ATMP developers, not a developer
    if bits & _VETERINARY:
        return "other"  # the ATMP definitions are for medicines for human use
    for bit, name in ((_GENE, "gene_therapy"), (_TISSUE, "tissue_engineered"),
                      (_CELL, "cell_therapy")):
        if bits & bit:  # Art. 2(5): gene first; Art. 2(4): tissue before cell
            return name
    return "other" if bits & _INFORMATIVE else "unknown"


#: Modality code (position in MODALITIES) for every combination of the bits.
_LUT = np.array([MODALITIES.index(_decide(b)) for b in range(1 << _N_BITS)], dtype=np.int8)


def _arrow_texts(texts: Any):
    """Distinct texts (a Series, or an Arrow string array) as one Arrow large_string array,
    dashes and quotes made ASCII."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(texts, (pa.Array, pa.ChunkedArray)):
        arr = texts.cast(pa.large_string())
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
    else:
        arr = pa.array(texts.astype(STRING).to_numpy(dtype=object, na_value=None),
                       type=pa.large_string())
    # (the characters replaced are not ASCII: the passes run on the texts that are not)
    other = ~_bool(pc.string_is_ascii(arr)) & _bool(pc.is_valid(arr))
    if not other.any():
        return arr
    mask = pa.array(other)
    sub = arr.filter(mask)
    sub = pc.replace_substring_regex(sub, "[\u2010-\u2015\u2212]", "-")
    sub = pc.replace_substring_regex(sub, "[\u2018\u2019\u02bc]", "'")
    sub = pc.replace_substring_regex(sub, "[\u00a0\u2007\u202f]", " ")
    return pc.replace_with_mask(arr, mask, sub)


def _bool(values) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _text_bits(texts: pd.Series) -> np.ndarray:
    """The flags (bit field) of each distinct text (one RE2 pass per signal, no Python loop)."""
    import pyarrow.compute as pc

    arr = _arrow_texts(texts)
    bits = np.zeros(len(arr), dtype=np.int64)
    present = ~_bool(pc.match_substring_regex(arr, _BLANK)) & _bool(pc.is_valid(arr))
    bits[present] |= _PRESENT
    rest = pc.replace_substring_regex(arr, _alternation(GENERIC_PATTERNS), " ")
    bits[_bool(pc.match_substring_regex(rest, r"[A-Za-z]{2,}")) & present] |= _INFORMATIVE
    masked = _masked(arr)
    for name, bit, patterns in _SIGNALS:
        if name == "gene":
            bits[_gene_hits(masked) & present] |= bit
            continue
        bits[_bool(pc.match_substring_regex(masked, _alternation(patterns))) & present] |= bit
    return bits


#: The mask patterns without a context window on both sides: RE2 runs their alternation as
#: one automaton; with the windowed pattern (60 characters either side of an exosome word) in
#: it, the automaton outgrows RE2's memory on ordinary descriptions and RE2 falls back to a
#: slow engine (8 s for 300,000 descriptions of software and retail companies, instead of 0.1 s).
_UNWINDOWED = tuple(p for p in MASK_PATTERNS if not p.startswith("[^.;]"))


def _masked(arr):
    """``arr`` with the phrases of :data:`MASK_PATTERNS` replaced by " ; ", as one pass of
    their alternation replaces them, with the slow alternation run on the few texts that
    need it: a text with no match of any mask pattern is left as it is; a text without an
    exosome word cannot match the windowed pattern, and the alternation of the others
    replaces in it what the whole alternation would."""
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = _alternation(_UNWINDOWED)
    cell_free = _bool(pc.match_substring_regex(arr, "(?i)" + _CELL_FREE))
    other = _bool(pc.match_substring_regex(arr, plain)) & ~cell_free
    if not (cell_free.any() or other.any()):
        return arr
    out = arr
    for rows, pattern in ((other, plain), (cell_free, _alternation(MASK_PATTERNS))):
        if rows.any():
            mask = pa.array(rows)
            out = pc.replace_with_mask(out, mask, pc.replace_substring_regex(
                arr.filter(mask), pattern, " ; "))
    return out


#: Words one of which every pattern of :data:`GENE_PATTERNS` and :data:`VACCINE_PATTERNS`
#: needs (case aside; ``car`` as a word, ``cars`` or ``cart``). A text without any cannot
#: match the gene signal, before or after the vaccine phrases are masked (the masking needs
#: "vaccine", and puts no letters in): the signal's patterns run on the texts with one only.
_GENE_ANCHORS = (r"(?i)gene|therap|cgt|edit|crispr|aav|adeno|lenti|vir|transduced|encoding|zinc|"
                 r"zfn|talen|meganuclease|\bcar(?:s\b|t|\b)|chimeric|engineer|vaccin|tcr|"
                 r"receptor|oncolytic")


def _gene_hits(masked) -> np.ndarray:
    """True for the texts (masked) that match the gene signal after the vaccine phrases are
    masked: the two passes run on the texts with a word of :data:`_GENE_ANCHORS` only (in a
    million descriptions of every sector, a small share)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cand = _bool(pc.match_substring_regex(masked, _GENE_ANCHORS))
    hits = np.zeros(len(masked), dtype=bool)
    if cand.any():
        sub = masked.filter(pa.array(cand))
        sub = pc.replace_substring_regex(sub, _alternation(VACCINE_PATTERNS), " ; ")
        hits[cand] = _bool(pc.match_substring_regex(sub, _alternation(GENE_PATTERNS)))
    return hits


#: From this many distinct texts on, their flags are computed in two halves side by side.
_SPLIT_FROM = 100_000


def _text_bits_split(texts: pd.Series) -> np.ndarray:
    """:func:`_text_bits` of many distinct texts (free-text descriptions: one per row) in two
    halves on two threads: the RE2 passes release the GIL, and each text's flags depend on
    that text alone, so the halves give the same flags as one pass (about 4 CPU seconds
    for a million descriptions, half of it in wall time on two cores)."""
    if len(texts) < _SPLIT_FROM:
        return _text_bits(texts)
    from concurrent.futures import ThreadPoolExecutor

    half = len(texts) // 2
    halves = ([texts.slice(0, half), texts.slice(half)] if hasattr(texts, "slice")
              else [texts.iloc[:half], texts.iloc[half:]])
    with ThreadPoolExecutor(max_workers=2) as ex:
        parts = list(ex.map(_text_bits, halves))
    return np.concatenate(parts)


def _row_bits(column) -> np.ndarray:
    """The flags of every row of one text column (computed on its distinct values; a
    categorical of strings on its categories, read from their Arrow buffers)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        cats = arrow_data(column.cat.categories)
        if cats is not None:
            lut = np.append(_text_bits_split(cats), 0)  # code -1 (missing) picks the 0
            return lut[column.cat.codes.to_numpy().astype(np.int64)]
    codes, cats = map_unique_codes(column, _text_bits_split)
    lut = np.array([*list(cats), 0], dtype=np.int64)  # code -1 (missing) picks the 0
    return lut[np.asarray(codes, dtype=np.int64)]


def modality_of(*text_columns) -> pd.Series:
    """Derive the therapeutic modality of each row from its text columns.

    Parameters
    ----------
    *text_columns : array-like
        One or more text columns of equal length: provider descriptions, keywords, tags,
        verticals, industries or sector labels. A row's modality is decided on all its
        columns together (see the module docstring for the rules).

    Returns
    -------
    Series of :data:`fundgap.schema.MODALITY_DTYPE`
        ``gene_therapy``, ``cell_therapy``, ``tissue_engineered``, ``other`` or
        ``unknown`` (never missing). Index of the first column if it is a Series.

    Raises
    ------
    FundgapError
        Without columns, or with columns of different lengths.

    Examples
    --------
    >>> modality_of(["Healthcare", "Healthcare", "Software"],
    ...             ["Lentiviral gene therapy for sickle cell disease", "Biotechnology", None]).tolist()
    ['gene_therapy', 'unknown', 'other']
    >>> modality_of(["Supplier of culture media for cell therapy manufacturing"]).tolist()
    ['other']
    """
    if not text_columns:
        raise FundgapError("modality_of needs at least one text column", argument="text_columns",
                           value=0, expected="one or more columns of text")
    cols = [as_series(c) for c in text_columns]
    n = len(cols[0])
    if any(len(c) != n for c in cols):
        raise FundgapError("text columns must have the same length", argument="text_columns",
                           value=[len(c) for c in cols], expected="columns of equal length")
    bits = np.zeros(n, dtype=np.int64)
    for c in cols:
        bits |= _row_bits(c)
    out = pd.Categorical.from_codes(_LUT[bits], dtype=MODALITY_DTYPE)
    return pd.Series(out, index=cols[0].index, name="modality")


def explain_modality(texts) -> pd.DataFrame:
    """Show how each distinct text is read: its signals and the modality it gives alone.

    Parameters
    ----------
    texts : array-like of str

    Returns
    -------
    DataFrame
        One row per distinct text, in order of first appearance: ``text``, the booleans
        ``present``, ``informative``, ``gene``, ``cell``, ``tissue``, ``supplier``,
        ``developer``, ``veterinary``, and ``modality``.

    Examples
    --------
    >>> e = explain_modality(["Cell culture media and reagents for cell therapy production"])
    >>> [str(e.loc[0, c]) for c in ("cell", "supplier", "developer", "modality")]
    ['True', 'True', 'False', 'other']
    """
    u = pd.Series(pd.unique(as_series(texts).astype(STRING)), dtype=STRING)
    bits = _text_bits(u) if len(u) else np.zeros(0, dtype=np.int64)
    out = pd.DataFrame({"text": u})
    for name, bit in (("present", _PRESENT), ("informative", _INFORMATIVE),
                      *((n, b) for n, b, _ in _SIGNALS)):
        out[name] = (bits & bit) > 0
    out["modality"] = pd.Categorical.from_codes(_LUT[bits], dtype=MODALITY_DTYPE)
    return out
