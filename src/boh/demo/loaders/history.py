from boh.demo.chain import DemoChain


def load_sales_history(chain: DemoChain) -> None:
    """Work in progress."""
