"""Self-assessment: rounds of the questionnaire, the learning agenda and their analysis.

``model`` holds the plain objects, ``analysis`` turns rounds into levels and
priorities (pure functions, no I/O), ``roundfile`` writes round files and
``questionnaire`` is the terminal questionnaire of ``elenefolio assess``.
"""
