"""Developer tools: NLU evaluation and benchmarks. Not part of the running bot."""
