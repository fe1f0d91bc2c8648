"""The rule set: the YAML files of ``rules/``, loaded, checked and compiled once."""
