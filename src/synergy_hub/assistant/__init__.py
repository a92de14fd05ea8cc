"""The SME assistant: from a problem in plain words to a confirmed need, matches and a
drafted request."""
