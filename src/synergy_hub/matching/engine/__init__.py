"""The matching engine in pure Python (no Django): retrieval and the scoring after it.

Retrieval: `text` (analysis), `lexical` (BM25), `dense` (encoders), `vectors` (nearest
neighbours), `fusion` and `retrieval` (`HybridRetriever`); `storage` holds the file helpers.
"""
