"""The claim scorer: a calibrated probability that a claim's facts are right (issue 22).

``features`` names what a claim looks like (unit, counted noun, words around the figure, the
linking strategy, kind rule, genre, catalogue, name test, model agreement); ``model`` turns
them into a probability with shipped weights and a calibration table, in pure Python;
``train`` fits both from the gold of ``corpus/`` (scikit-learn, the ``train`` extra).
"""
