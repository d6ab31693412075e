"""The patterns of the modality classifier (:mod:`fundgap.normalise.modality`): the words
and phrases that signal a gene therapy, a cell therapy or a tissue engineered product, a
supplier, a developer, a veterinary medicine, the labels that say nothing, and the phrases
masked before the signals are read. RE2 syntax, matched case-insensitively.

Examples
--------
>>> import re
>>> bool(re.search("(?i)" + GENE_PATTERNS[0], "an AAV gene therapy"))
True
"""

from __future__ import annotations

__all__ = ["CELL_PATTERNS", "DEVELOPER_PATTERNS", "GENERIC_PATTERNS", "GENE_PATTERNS",
           "MASK_PATTERNS", "SUPPLIER_PATTERNS", "TISSUE_PATTERNS", "VACCINE_PATTERNS",
           "VETERINARY_PATTERNS"]

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

#: Cell-derived products without cells: the word the windowed mask pattern needs.
_CELL_FREE = r"\b(?:exosomes?|extracellular" + _S + r"vesicles?|secretomes?)\b"

#: Phrases blanked before the signals are read (their cell/gene/tissue words do not
#: describe a medicine of the company).
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
