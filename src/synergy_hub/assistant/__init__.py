"""The SME assistant: a problem in plain words to a confirmed need, matches and a request."""
