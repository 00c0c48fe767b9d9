from boh.demo.chain import DemoChain


def load_suppliers(chain: DemoChain) -> None:
    """Work in progress."""
