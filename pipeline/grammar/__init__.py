"""The figure grammar: numbers (Arabic, Chinese numerals, masks, ranges) and their roles
in a sentence (value, growth, rank, comparison), with exclusions."""
