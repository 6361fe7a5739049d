from tests.governance.demo.conftest import demo  # noqa: F401  (the demo, loaded once per module)
