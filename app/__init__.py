"""newsfacts: the facts in news articles, served over HTTP."""
