from boh.demo.chain import DemoChain


def load_menu(chain: DemoChain) -> None:
    """Work in progress."""
