"""Reading an SME's problem statement into a structured need, offline (rules and dictionaries).

Pure Python: no Django. The entry point is ``understand(text, previous=None, today=...)``
in ``pipeline.py``; its result is an ``UnderstoodNeed`` (``need.py``).
"""
