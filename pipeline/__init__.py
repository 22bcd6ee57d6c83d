"""newsclaims: news article dumps -> tidy tables of who claimed what number when.

The flow is readers (`ingest`) -> one spaCy `Language` (`nlp`: the base model
plus the quantities, dates, attribution and claims components) -> writers
(`write`, with the schemas of `schema`).
"""
__version__ = "0.1.0"
