"""Reading the output back: query (command line) and the local web page."""
