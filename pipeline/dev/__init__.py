"""Tools for developing zhibiao, above the library: evaluation against gold (``evaluate``),
the damage suite (``robustness``), the rules' own cases (``rule_cases``) and training of the
INDICATOR model (``train_ner``) and the claim scorer (``train_scorer``)."""
