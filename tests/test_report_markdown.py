import pandas as pd

from roma_pd.report import markdown_table


def test_markdown_table():
    df = pd.DataFrame({"a": [1.0, None], "b": [0.12345, float("nan")], "c": ["x", "y"]})
    assert markdown_table(df.astype(object), {"b": ".2f"}) == (
        "| a | b | c |\n|---|---|---|\n| 1 | 0.12 | x |\n| - | - | y |\n")
