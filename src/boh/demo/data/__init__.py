"""Tables the demo loader builds the chain from: catalog, menu and suppliers."""
