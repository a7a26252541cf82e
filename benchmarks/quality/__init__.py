"""The extraction quality gate's parts: the corpora it reads and the scores it computes."""
