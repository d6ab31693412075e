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

_H = r"[\s\-]?"  # an optional space or hyphen ("gene therapy", "gene-therapy", "genetherapy")
_S = r"[\s\-]"  # one space or hyphen
_INFECTIOUS = (r"(?:influenza|flu|rsv|covid\w*|sars\w*|coronavir\w*|hiv|ebola|malaria|zika|"
               r"tuberculosis|tb|cmv|cytomegalovirus|hepatitis|hpv|dengue|rabies|mpox|smallpox|"
               r"pandemic\w*|infectious|infections?|pathogens?|bacterial|viral" + _S + r"diseases?)")
_CELLS = (r"(?:cells?|chondrocytes?|keratinocytes?|fibroblasts?|cardiomyocytes?|hepatocytes?|"
          r"osteoblasts?|myoblasts?|lymphocytes?)")
#: cell types whose name alone does not say "medicine" (it must come with a therapy word)
_CELL_TYPES = (r"(?:dendritic|regulatory" + _S + r"t|tregs?|gamma" + _H + r"delta" + _S + r"t|virus" + _H
               + r"specific" + _S + r"t|cytotoxic" + _S + r"t|antigen" + _H + r"specific" + _S
               + r"t|macrophage|islet|photoreceptor|hepatocyte|dopaminergic|progenitor)")
_TISSUES = (r"(?:tissues?|cartilage|bones?|skin|cornea\w*|epitheli\w*|endotheli\w*|retina\w*|muscles?|myocardi\w*|heart|"
            r"tendons?|ligaments?|urethra\w*|airways?|trachea\w*)")
_REGENERATE = (r"(?:regenerat\w*|repair\w*|replac\w*|restor\w*|regrow\w*|rebuild\w*|reconstruct\w*|"
               r"remuscularis\w*|remuscularize\w*)")
#: "regenerate ... cartilage" or "cartilage repair": the aim of a tissue engineered product
_REPAIR = (r"(?:\b" + _REGENERATE + r"\b[^.;]{0,25}?\b" + _TISSUES + r"\b|\b" + _TISSUES + _S
           + r"(?:repair|regeneration|replacement|restoration|reconstruction|regrowth|substitutes?)\b)")

#: Vaccines against infectious diseases, blanked before the gene signals are read (the
#: gene therapy definition excludes them; cell-based vaccines stay cell therapy).
VACCINE_PATTERNS: tuple[str, ...] = (
    r"(?:\b(?:adeno\w*|aav\w*|lenti\w*|viral|virus\w*|mrna|dna|rna|vector\w*|recombinant)" + _H
    + r"){0,3}vaccines?\b[^.;]{0,60}?\b" + _INFECTIOUS + r"\b",
    r"\b" + _INFECTIOUS + r"\b[^.;]{0,30}?\bvaccines?\b(?:[^.;]{0,20}?\b(?:using|with|based" + _S
    + r"on|on)\b[^.;]{0,30}?\bvectors?\b)?",
)

#: Phrases blanked before the signals are read (their cell/gene/tissue words do not
#: describe a medicine of the company).
#: Cell-derived products without cells: the word the windowed mask pattern needs.
_CELL_FREE = r"\b(?:exosomes?|extracellular" + _S + r"vesicles?|secretomes?)\b"

MASK_PATTERNS: tuple[str, ...] = (
    # gene-editing research tools; editing of crops and animals
    r"\b(?:crispr|cas\d+\w*|(?:gene|genome|base|prime)" + _H + r"edit\w*)\b[^.;]{0,30}?\b(?:reagents?|kits?|"
    r"librar(?:y|ies)|tools?|screens?|screening|services?|cell" + _S + r"lines?|research|functional" + _S
    + r"genomics)\b",
    r"\b(?:plants?|crops?|agricultur\w*|livestock|cattle|seeds?|food)\b[^.;]{0,20}?\b(?:gene|genome|genetic\w*)"
    + _H + r"(?:edit\w*|engineer\w*|modif\w*)",
    r"\b(?:gene|genome)" + _H + r"edit\w*[^.;]{0,30}?\b(?:crops?|plants?|seeds?|livestock|cattle|fish|food)\b",
    # stem-cell and cord-blood banking; transplantation of minimally manipulated cells
    r"\b(?:stem" + _H + r"cells?|cord" + _H + r"blood|umbilical" + _S + r"cord(?:" + _S + r"blood)?)\b[^.;]{0,25}?"
    r"\b(?:bank\w*|storage|stor(?:e|ing)|preserv\w*|cryopreserv\w*)",
    r"\b(?:bank\w*|stor(?:e|es|ing)|preserv\w*|cryopreserv\w*)\b[^.;]{0,30}?\b(?:stem" + _H + r"cells?|cord"
    + _H + r"blood)\b",
    r"\b(?:(?:allogeneic|autologous|ha?ematopoietic)" + _S + r")+stem" + _H + r"cells?" + _S + r"transplant\w*",
    r"\bbone" + _S + r"marrow" + _S + r"transplant\w*",
    # cultivated meat and other cell-grown materials
    r"\b(?:cultivated|cultured|lab" + _H + r"grown|cell" + _H + r"based|cell" + _H + r"cultured)" + _S
    + r"(?:meat|seafood|fish|chicken|beef|pork|leather|milk|dairy|foods?)\b[^.;]{0,60}",
    # cosmetics
    r"\b(?:plant|botanical|apple|grape|fruit|argan)" + _S + r"stem" + _H + r"cells?\b",
    r"\bstem" + _H + r"cell" + _S + r"(?:extracts?|skin" + _H + r"care|cosmetics?|serums?|creams?)\b",
    # cells as research material
    r"\b(?:i?pscs?|induced" + _S + r"pluripotent|stem" + _H + r"cells?|primary" + _S + r"cells?|human" + _S
    + r"cells)\b[^.;]{0,60}?\bfor"
    + _S + r"(?:drug" + _S + r"(?:discovery|screening|testing|development)|(?:cardio)?toxicity|safety|"
    r"screening|research|testing|in" + _S + r"vitro|disease" + _S + r"model\w*)\b",
    r"\bdisease" + _S + r"model\w*",
    r"\bpatient" + _H + r"derived" + _S + r"(?:cells?|xenografts?|organoids?|models?)\b",
    r"\borgan" + _H + r"on" + _H + r"(?:a" + _H + r")?chips?\b",
    r"\borganoids?\b",
    # cell-derived products without cells (exosomes, vesicles, secretome)
    r"[^.;]{0,60}" + _CELL_FREE + r"[^.;]{0,60}",
    # diseases and molecules with "cell" in their names
    r"\b(?:non" + _H + r")?small" + _H + r"cell\b",
    r"\b(?:squamous|renal|basal|hepatocellular|merkel|hairy|clear|sickle|giant|germ|b|t)" + _H + r"cell"
    + _S + r"(?:lung|carcinoma\w*|cancers?|lymphoma\w*|leuka?emia\w*|disease|ana?emia|tumou?rs?|malignanc\w*)\b",
    r"\bt" + _H + r"cell" + _H + r"(?:engag\w*|redirect\w*|bispecific\w*)",
    r"\bcell" + _H + r"free\b",
    r"\bmsc" + _S + r"(?:in|degree)\b",
    # negations of genetic modification ("non-genetically modified cells" stay cell therapy)
    r"\b(?:non|not|un)" + _H + r"(?:genetically" + _S + r")?(?:modified|engineered)\b",
)

#: Signals of a gene therapy medicinal product (recombinant nucleic acid that regulates,
#: repairs, replaces, adds or deletes a genetic sequence), including genetically
#: modified cells (Art. 2(5)) and oncolytic viruses.
GENE_PATTERNS: tuple[str, ...] = (
    r"\bgene" + _H + r"therap\w*",
    r"\b(?:cell|gene)" + _H + r"(?:and|&|/)" + _H + r"(?:gene|cell)" + _H + r"therap\w*",
    r"\bcgt\b",
    r"\b(?:gene|genome|genomic|dna|base|prime|epigenetic|epigenome)" + _H + r"edit(?:ing|ed|ors?|s)?\b",
    r"\bcrispr\b[^.;]{0,60}?\b(?:therap\w*|medicines?|treat\w*|cures?|patients?|in" + _S + r"vivo|ex"
    + _S + r"vivo|clinical)\b",
    r"\b(?:therap\w*|medicines?)\b[^.;]{0,30}?\bcrispr\b",
    r"\baav\d*\b",
    r"\badeno" + _H + r"associated",
    r"\blenti" + _H + r"vir\w*",
    r"\b(?:retro|adeno|gamma" + _H + r"retro)" + _H + r"vir\w*" + _H + r"vector\w*",
    r"\bviral" + _H + r"vectors?\b",
    r"\bgene" + _H + r"(?:transfer|replacement|delivery|addition|supplementation|augmentation|correction)\b",
    r"\btransgenes?\b",
    r"\btransduced\b",
    r"\bgene" + _H + r"based" + _S + r"(?:therap|medicine|treatment)\w*",
    r"\b(?:genetically|gene)" + _S + r"(?:modified|engineered|corrected)\b[^.;]{0,40}?\b(?:cells?|"
    r"macrophages?|lymphocytes?|hscs?|vir(?:us|uses|al))\b",
    (r"\bvir(?:us|uses|al)\b[^.;]{0,40}?\b(?:kills?|killing|lyses?|lysing|destroys?|replicates?)\b[^.;]{0,30}?"
     r"\b(?:tumou?r|cancer)"),
    r"\b(?:cells?|hscs?)" + _S + r"editing\b",
    r"\bin" + _S + r"vivo\b[^.;]{0,40}?\bediting\b",
    r"\b(?:plasmids?|dna)" + _S + r"(?:\w+" + _S + r")?encoding\b",
    r"\b(?:genetically|gene)" + _S + r"corrected\b",
    r"\bedit(?:s|ing)?" + _S + r"(?:the" + _S + r"|their" + _S + r")?(?:genome|genes?|dna)\b",
    r"\b(?:zinc" + _H + r"finger" + _S + r"nucleases?|zfns?|talens?|meganucleases?)\b",
    r"\b(?:armed|engineered|equipped|modified|transduced)" + _S + r"with" + _S + r"(?:an?" + _S
    + r")?(?:car|chimeric)\b",
    r"(?-i:\bCARs?\b)[^.;]{0,40}?\bcells?\b",
    r"\bcells?\b[^.;]{0,40}?(?-i:\bCARs?\b)",
    r"\bengineer(?:s|ed|ing)?\b[^.;]{0,20}?\b(?:t|nk|b|immune|gamma" + _H + r"delta|myeloid|red" + _S
    + r"blood)" + _H + r"cells?\b",
    r"\bin" + _S + r"vivo" + _S + r"gene\b",
    r"\bencoding" + _S + r"(?:an?" + _S + r")?(?:cas\d*|crispr|base" + _S + r"editors?|zinc" + _S
    + r"fingers?|talens?)\b",
    r"\b(?:viral|virus|vector\w*|vaccinia|adenovir\w*|poxvir\w*|mva)\b[^.;]{0,30}?\b(?:cancer|tumou?r|"
    r"therapeutic)" + _S + r"vaccines?\b",
    r"\b(?:cancer|tumou?r|therapeutic)" + _S + r"vaccines?\b[^.;]{0,40}?\b(?:viral|virus|vector\w*|"
    r"vaccinia|adenovir\w*|poxvir\w*|mva)\b",
    r"\bcar" + _S + r"(?:t|nk|m|treg)s?\b",
    r"\bcart" + _H + r"(?:cells?|therap\w*)",
    r"\bcar" + _S + r"(?:engineered|expressing|modified)\b",
    r"\bchimeric" + _S + r"antigen" + _S + r"receptors?\b",
    r"\btcr" + _H + r"(?:t|engineered|modified|transduced)\b",
    r"\b(?:engineered|transgenic)" + _S + r"(?:tcrs?|t" + _H + r"cell" + _S + r"receptors?)\b",
    r"\b(?:tcrs?|t" + _H + r"cell" + _S + r"receptors?)\b[^.;]{0,40}?\bcell" + _H + r"(?:immuno)?therap\w*",
    r"\b(?:tcr|t" + _H + r"cell" + _S + r"receptor)s?" + _S + r"(?:based" + _S + r")?therap\w*",
    r"\bcell" + _H + r"(?:immuno)?therap\w*[^.;]{0,40}?\b(?:tcrs?|t" + _H + r"cell" + _S + r"receptors?)\b",
    r"\boncolytic" + _H + r"(?:vir\w*|adenovir\w*|hsv\w*|herpes\w*|vaccinia\w*|reovir\w*|immunotherap\w*)",
    r"\bvirotherap\w*",
)

#: Signals of a somatic cell therapy medicinal product (substantially manipulated cells
#: acting by their pharmacological, immunological or metabolic action).
CELL_PATTERNS: tuple[str, ...] = (
    r"\bcell" + _H + r"(?:based" + _H + r")?(?:immuno)?therap\w*",
    r"\bcellular" + _H + r"(?:immuno)?therap\w*",
    r"\b(?:cellular|cell|living" + _S + r"cell|living)" + _S + r"(?:medicines?|drugs?)\b",
    r"\bcell" + _H + r"based" + _S + r"(?:treatments?|products?|regenerative)\b",
    r"\b(?:i?pscs?|hipscs?|hescs?|mscs?)\b",
    r"\binduced" + _S + r"pluripotent\b",
    r"\b(?:pluripotent|embryonic|mesenchymal|ha?ematopoietic|neural|limbal|adult|adipose" + _H
    + r"derived|marrow" + _H + r"derived|cord" + _H + r"derived)" + _S + r"(?:stem|stromal|progenitor|"
    r"precursor)" + _H + r"cells?\b",
    r"\b(?:cell|cellular)" + _S + r"products?\b",
    r"\b(?:ex" + _S + r"vivo" + _S + r")?expanded\b[^.;]{0,40}?\b(?:cells?|cord" + _S
    + r"blood|lymphocytes?)\b",
    r"\bmesenchymal" + _S + r"stromal\b",
    r"\b(?:manufactured|derived|differentiated|made|produced|generated|grown)" + _S + r"from" + _S + r"(?:\w+"
    + _S + r"){0,3}(?:stem" + _H + r"cells?|i?pscs?)\b",
    r"\bstem" + _H + r"cells?" + _H + r"(?:derived|based|therap\w*|treatments?|products?|medicines?)",
    r"\btumou?r" + _H + r"infiltrating" + _S + r"lymphocytes?\b",
    r"\btils?" + _S + r"(?:therap\w*|cells?|products?)\b",
    r"\b" + _CELL_TYPES + _H + r"(?:cells?|lymphocytes?)\b[^.;]{0,60}?\b(?:therap\w*|immunotherap\w*|"
    r"vaccines?|transplant\w*|infus\w*|inject\w*|implant\w*|medicines?|treat\w*)",
    r"\b(?:therap\w*|immunotherap\w*|vaccines?)\b[^.;]{0,20}?\b(?:based" + _S + r"on|using|with|of|from)"
    + _S + r"(?:[\w']+" + _S + r"){0,5}" + _CELL_TYPES + _H + r"(?:cells?|lymphocytes?)\b",
    r"\bctls?\b",
    r"\b(?:autologous|allogeneic|allogenic|donor" + _H + r"derived)\b[^.;]{0,40}?\b" + _CELLS + r"\b",
    r"\b(?:cardiosphere|adipose|placenta\w*|cord|marrow|amniotic|umbilical|muscle|ipsc|ips" + _S
    + r"cell|stem" + _H + r"cell)" + _H + r"derived" + _S + r"(?:\w+" + _S + r")?cells?\b",
)

#: Signals of a tissue engineered product (engineered cells or tissues that regenerate,
#: repair or replace a human tissue).
TISSUE_PATTERNS: tuple[str, ...] = (
    r"\btissue" + _H + r"engineer\w*",
    r"\b(?:bio)?engineered" + _S + r"(?:human" + _S + r")?(?:skin|cartilage|tissues?|bone|cornea\w*|"
    r"trachea\w*|(?:blood" + _S + r")?vessels?|heart" + _S + r"(?:muscle|tissue)|cardiac" + _S
    + r"tissue|myocardi\w*|muscle|(?:oral" + _S + r")?mucosa|urethra\w*|bladders?|liver" + _S
    + r"tissue|organs?|grafts?)\b",
    r"\b(?:lab(?:oratory)?" + _H + r"grown|living|cultured|cultivated|(?:3d" + _H + r")?bio" + _H
    + r"printed)" + _S + r"(?:human" + _S + r"|autologous" + _S + r")?(?:skin|cartilage|tissues?|bone|"
    r"cornea\w*|trachea\w*|(?:blood" + _S + r")?vessels?|vascular" + _S + r"grafts?|urethra\w*|"
    r"bladders?|organs?|heart" + _S + r"muscle|epiderm\w*|(?:skin" + _S + r")?grafts?|skin" + _S
    + r"substitutes?)\b",
    r"\bchondrocytes?" + _S + r"(?:implant\w*|transplant\w*|spheroids?)",
    r"\bspheroids?" + _S + r"of" + _S + r"(?:\w+" + _S + r"){0,2}chondrocytes?",
    r"\bcell" + _H + r"(?:seeded|laden)\b",
    r"\b(?:living" + _S + r")?(?:cell|cellular|tissue)" + _S + r"constructs?\b",
    r"\b(?:cultured|expanded|autologous|allogeneic)" + _S + r"(?:\w+" + _S + r")?(?:keratinocytes?|chondrocytes?|"
    r"fibroblasts?|osteoblasts?|tenocytes?)\b",
    r"\b(?:autologous" + _S + r"|cultured" + _S + r")?epiderm\w*" + _S + r"(?:grafts?|sheets?|substitutes?|"
    r"autografts?)\b",
    r"\b(?:implants?|grafts?|scaffolds?|patch|patches|constructs?|matri(?:x|ces)|membranes?)\b[^.;]{0,40}?\b"
    r"(?:containing|made|grown|seeded|loaded|built|of|with|from)\b[^.;]{0,30}?\b" + _CELLS + r"\b",
    r"\b(?:re)?cellulari[sz]ed\b",
    r"\bseeded" + _S + r"with\b[^.;]{0,40}?\bcells\b",
    r"\b(?:cell|epithelial|keratinocyte|stem" + _H + r"cell)" + _S + r"sheets?\b",
    r"\bsheets?" + _S + r"of\b[^.;]{0,40}?\bcells\b",
    r"\b(?:cells?|i?pscs?)\b[^.;]{0,60}?" + _REPAIR,
    r"\b(?:grows?|grown|growing|cultur\w*|engineer\w*|builds?|bioprint\w*|fabricat\w*)\b[^.;]{0,15}?\b"
    + _TISSUES + r"\b[^.;]{0,50}?\b" + _CELLS + r"\b",
    r"\b(?:cultured|cultivated|lab" + _H + r"grown|engineered|bioengineered)" + _S + r"(?:\w+" + _S
    + r"){0,2}tissues?\b",
    r"\b(?:patch|patches|sheets?|implants?|grafts?)\b[^.;]{0,30}?\b(?:on|in|with)" + _S + r"(?:an?" + _S
    + r")?(?:\w+" + _S + r")?(?:scaffolds?|matri(?:x|ces)|membranes?)\b",
    _REPAIR + r"[^.;]{0,40}?\bcells?\b",
)

#: Signals of a supplier of tools, materials or services (rather than a developer of its
#: own medicine).
SUPPLIER_PATTERNS: tuple[str, ...] = (
    r"\b(?:cdmos?|cmos?|cros?)\b",
    r"\bcontract" + _S + r"(?:development|manufactur\w*|research|testing|services?)\b",
    r"\b(?:suppl(?:y|ies|ier|iers|ying)|distribut(?:or|ors|es|ing)|vendors?|sold|sells|selling)\b",
    r"\b(?:providers?|manufacturers?|producers?|makers?)" + _S + r"of\b",
    r"\blicens(?:e|es|ing)\b[^.;]{0,40}?\bto\b",
    r"\b(?:for|in)" + _S + r"(?:[\w&/\-]+" + _S + r"){0,4}?(?:manufactur\w*|production|processing|"
    r"bioprocessing)\b",
    r"\b(?:for|to|serving)" + _S + r"(?:[\w&/]+" + _S + r"){0,4}?(?:developers|companies|manufacturers|sponsors|"
    r"researchers|scientists|industry)\b",
    r"\b(?:reagents?|kits?|instruments?|equipment|consumables|media|medium|software|saas|devices?)\b",
    r"\b(?:services?|assays?|analytics|analytical|tools?|bioreactors?|counters?|analy[sz]ers?)\b",
    r"\bbio" + _H + r"printers?\b",
    r"\bsequenc(?:ers?|ing)\b",
    r"\b(?:bank|banks|banking|biobanks?|storage|logistics|shipping|consult\w*)\b",
    r"\bcold" + _H + r"chain\b",
    r"\b(?:diagnos(?:tics?|is|es)|patholog\w*|screening|profiling)\b",
    r"\bresearch" + _S + r"(?:labs?|use|market|tools|reagents)\b",
    r"\b(?:laborator(?:y|ies)|labs|clinics?|hospitals?)\b",
    r"\bautomat\w*",
    r"\bprocess" + _S + r"development\b",
    r"\bgmp\b",
    r"\bfor" + _S + r"(?:drug" + _S + r"(?:discovery|screening|testing)|(?:cardio)?toxicity|research|in"
    + _S + r"vitro)\b",
    r"\bmanufacturing" + _S + r"(?:platforms?|solutions?|systems?)\b",
    r"\bplatforms?" + _S + r"for" + _S + r"(?:manufactur|produc)\w*",
)

#: Signals of a veterinary medicine (the ATMP definitions are for medicines for human use).
VETERINARY_PATTERNS: tuple[str, ...] = (
    r"\b(?:veterinary|animal" + _S + r"health|companion" + _S + r"animals?|pets?|livestock)\b",
    r"\b(?:for|in|of)" + _S + r"(?:dogs|cats|horses|cattle)\b",
)

#: Signals that the company develops its own medicine (these lift the supplier rule).
DEVELOPER_PATTERNS: tuple[str, ...] = (
    r"\bclinical" + _H + r"stage\b",
    r"\bpre" + _H + r"clinical\b",
    r"\bphase" + _H + r"(?:[123][ab]?|i{1,3}|1/2|i/ii|2/3|ii/iii)\b",
    r"\bfirst" + _H + r"in" + _H + r"(?:human|class)\b",
    r"\b(?:product|drug|development|therapeutic|clinical)" + _S + r"candidates?\b",
    r"\blead" + _S + r"(?:candidates?|program\w*|assets?|products?|indications?)\b",
    r"\bpipeline\b",
    r"\b(?:treat|treats|treating|treatment|treatments|cure|cures|curing|curative)\b",
    r"\bpatients?(?:'s?)?" + _S + r"own\b",
    r"\b(?:in|for)" + _S + r"patients\b",
    r"\bpatients" + _S + r"with\b",
    (r"\b(?:diseases?|disorders?|syndromes?|cancers?|tumou?rs?|leuka?emias?|lymphomas?|myelomas?|"
    r"melanomas?|sarcomas?|carcinomas?|glioblastomas?|diabetes|parkinson'?s|alzheimer'?s|"
    r"huntington'?s|ha?emophilia|dystroph\w*|amyloidosis|fibrosis|thalassa?emia|sickle|"
    r"isch(?:a)?emi\w*|failure|cirrhosis|burns?|wounds?|ulcers?|defects?|injur(?:y|ies)|blindness|"
    r"arthritis|osteoarthritis|gvhd|infections?|scid|leukodystroph\w*|cardiomyopath\w*|"
    r"strictures?|atrophy|deficienc\w*|lysosomal|cholesterol|transplantation|damaged?)\b"),
)

#: Labels that name a sector or a disease area but not a modality: a text made only of these
#: (and separators) cannot be judged and gives ``unknown``.
GENERIC_PATTERNS: tuple[str, ...] = (
    r"\b(?:other" + _S + r")?pharmaceuticals?" + _S + r"(?:and|&)" + _S + r"biotechnology\b",
    r"\bbio" + _H + r"tech\w*",
    r"\bbio" + _H + r"pharma\w*",
    r"\bpharma\w*",
    r"\blife" + _H + r"sciences?\b",
    r"\bhealth" + _H + r"care\b",
    r"\b(?:health|medical|medicines?|therapeutics?|genetics|biology|biologics?|other|and)\b",
    r"\bdrug" + _S + r"(?:discovery|development)\b",
    r"\b(?:oncology|immunology|neurology|ophthalmology|cardiology|ha?ematology)\b",
    r"\brare" + _S + r"diseases?\b",
)

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
    arr = pc.replace_substring_regex(arr, "[\u2010-\u2015\u2212]", "-")
    arr = pc.replace_substring_regex(arr, "[\u2018\u2019\u02bc]", "'")
    return pc.replace_substring_regex(arr, "[\u00a0\u2007\u202f]", " ")


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
