"""The package's version, in a module of its own: the modules that stamp it on their rows
(claim ids, chunk keys, run.json) import it from here, not from the package, whose
`__init__` imports pipeline.api (and so the CLI) on first use of `pipeline.extract`."""

__version__ = "0.1.0"
