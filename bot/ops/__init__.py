"""Operating Wegwijs: the `bot` command, the production set-up and the spaCy pipeline build."""
