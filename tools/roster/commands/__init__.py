"""One module per subcommand; cli.py assembles them."""
