from visitdata.csvio import read_table, to_csv_text
from visitdata.tables import load_schema


def test_line_numbers_follow_quoted_line_breaks(project):
    path = project / "data" / "persons.csv"
    text = path.read_text()
    text = text.replace("p-a,Person A,,1953,,,s1,", 'p-a,Person A,,1953,,,s1,"two\nlines"')
    path.write_text(text)
    raw = read_table(project, load_schema(project, "persons"))
    assert raw.lines.tolist() == [2, 4, 5]


def test_missing_and_extra_columns_are_reported_not_fatal(project):
    path = project / "data" / "sources.csv"
    lines = path.read_text().splitlines()
    lines = [line.rsplit(",", 1)[0] + ",x" for line in lines]  # drop notes, add an extra column
    lines[0] = lines[0].rsplit(",", 1)[0] + ",surprise"
    path.write_text("\n".join(lines) + "\n")
    raw = read_table(project, load_schema(project, "sources"))
    assert raw.missing_columns == ["notes"]
    assert raw.extra_columns == ["surprise"]


def test_canonical_text_sorts_by_key_and_orders_columns(project):
    schema = load_schema(project, "persons")
    frame = read_table(project, schema).frame
    shuffled = frame.iloc[::-1][list(reversed(frame.columns))]
    assert to_csv_text(shuffled, schema) == (project / "data" / "persons.csv").read_text()
