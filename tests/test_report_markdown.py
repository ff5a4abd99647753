import pandas as pd

from roma_pd.report import markdown_table


def test_markdown_table():
    df = pd.DataFrame({"a": [1.0, None], "b": [0.12345, float("nan")], "c": ["x", "y"]})
    assert markdown_table(df.astype(object), {"b": ".2f"}) == (
        "| a | b | c |\n|---|---|---|\n| 1 | 0.12 | x |\n| - | - | y |\n")


def test_markdown_html_renders_markup_and_escapes_html():
    from roma_pd.report import markdown_html
    page = markdown_html("# T\n\nA **bold** `code` <b>raw</b>.\n\n"
                         "| a | b |\n|---|---|\n| 1 | 2 |\n", "t<")
    assert "<h1>T</h1>" in page and "<strong>bold</strong>" in page
    assert "<code>code</code>" in page and "&lt;b&gt;raw&lt;/b&gt;" in page
    assert '<div class="table-box"><table>' in page and "<td>2</td>" in page
    assert "<title>t&lt;</title>" in page


def test_markdown_table_headers_carry_units():
    df = pd.DataFrame({"variant": ["rom"], "depth": [32], "tile_area": [942.0],
                       "power_mw": [0.28], "measured": [1.0]})
    head = markdown_table(df.astype(object), units={"measured": "µm²"}).splitlines()[0]
    assert head == ("| variant | depth (words) | tile_area (µm²) | power_mw | "
                    "measured (µm²) |")
