import warnings

import numpy as np
import pandas as pd
import pytest

from helpers import LOCALES, column_spec, generate_dataframe, load_catalog
from helpers.generate import GENERATORS, isbn13_digit, luhn_digit

ALL_COLUMNS = list(dict.fromkeys(c for cols in load_catalog().values() for c in cols))


def test_every_catalog_column_has_a_generator():
    for column in ALL_COLUMNS:
        spec, found = column_spec(column)
        assert found == "catalog", column
        assert spec["kind"] in GENERATORS, column


def test_all_columns_generate_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = generate_dataframe(ALL_COLUMNS, rows=50, seed=1)
    assert table.shape == (50, len(ALL_COLUMNS))
    assert not table.isna().any().any()


def test_same_arguments_same_table_and_column_order_does_not_matter():
    cols = load_catalog()["hospital"]
    a = generate_dataframe(cols, rows=30, seed=7)
    pd.testing.assert_frame_equal(a, generate_dataframe(cols, rows=30, seed=7))
    shuffled = generate_dataframe(list(reversed(cols)), rows=30, seed=7)
    pd.testing.assert_frame_equal(a, shuffled[cols])
    assert not a.equals(generate_dataframe(cols, rows=30, seed=8))


def test_a_column_does_not_depend_on_its_neighbours():
    alone = generate_dataframe(["diagnosis"], rows=20, seed=3)["diagnosis"]
    along = generate_dataframe(["patient_id", "diagnosis", "city"], rows=20, seed=3)["diagnosis"]
    pd.testing.assert_series_equal(alone, along)


def test_identifiers_are_unique_and_well_formed():
    ids = ["patient_id", "account_number", "card_number", "isbn", "vin", "sku", "transaction_hash"]
    table = generate_dataframe(ids, rows=250_000, seed=0)  # spans three chunks
    for column in ids:
        assert table[column].is_unique, column
    assert table["patient_id"].iloc[122] == "PAT-000123"
    assert table["card_number"].str.len().eq(16).all()
    assert all(n[-1] == luhn_digit(n[:-1]) for n in table["card_number"].iloc[:2000])
    assert all(n[-1] == isbn13_digit(n[:12]) for n in table["isbn"].iloc[:2000])
    assert table["vin"].str.fullmatch(r"[A-HJ-NPR-Z0-9]{17}").all()


def test_check_digits_on_known_numbers():
    assert luhn_digit("7992739871") == "3"  # the textbook example 79927398713
    assert isbn13_digit("978030640615") == "7"  # ISBN 978-0-306-40615-7


def test_related_columns_agree():
    cols = ["name", "email", "date_of_birth", "age", "check_in", "check_out",
            "price", "quantity", "total", "created_at", "resolved_at"]
    t = generate_dataframe(cols, rows=500, seed=0)
    last_names = t["name"].str.split().str[-1].str.lower()
    assert all(last in email for last, email in zip(last_names, t["email"], strict=True))
    ref = pd.Timestamp("2025-12-31")
    expected_age = (ref - t["date_of_birth"]).dt.days // 365.25
    assert (t["age"] - expected_age).abs().le(1).all()
    assert (t["check_out"] > t["check_in"]).all()
    assert (t["resolved_at"] > t["created_at"]).all()
    assert np.allclose(t["total"], (t["price"] * t["quantity"]).round(2))


def test_dtypes_and_ranges():
    t = generate_dataframe(["quantity", "price", "rating", "is_fraud", "order_date",
                            "executed_at", "status", "name", "age"], rows=1000, seed=0)
    assert t["quantity"].dtype == np.int64
    assert t["price"].dtype == np.float64 and (t["price"] > 0).all()
    assert (t["price"].round(2) == t["price"]).all()
    assert t["rating"].between(1, 5).all()
    assert t["is_fraud"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(t["order_date"])
    assert t["order_date"].between("2021-01-01", "2025-12-31").all()  # a fixed window
    assert pd.api.types.is_datetime64_any_dtype(t["executed_at"])
    assert isinstance(t["status"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_string_dtype(t["name"])
    assert t["age"].between(18, 90).all()


def test_names_keep_variety():
    names = generate_dataframe(["name"], rows=10_000, seed=0)["name"]
    assert names.nunique() > 8_000


@pytest.mark.parametrize("locale, sample", [("de_DE", "Germany"), ("fr_FR", "France"),
                                             ("es_ES", "Spain"), ("ja_JP", "Japan"),
                                             ("en_US", "United States")])
def test_locales_give_local_people_and_places(locale, sample):
    t = generate_dataframe(["name", "email", "phone", "city", "country"], rows=50, seed=0,
                           locale=locale)
    assert (t["country"] == sample).all()
    assert t["email"].str.fullmatch(r"[a-z0-9._]+@[a-z0-9.-]+").all()
    if locale == "ja_JP":
        assert t["name"].str.contains(r"[\u3040-\u30ff\u4e00-\u9fff]").all()
    other = generate_dataframe(["name"], rows=50, seed=0, locale="en_US")["name"]
    if locale != "en_US":
        assert not t["name"].equals(other)


def test_unknown_columns_fall_back_by_pattern_then_to_text():
    assert column_spec("widget_id")[1] == "pattern"
    assert column_spec("delivered_at")[0]["kind"] == "datetime"
    with pytest.warns(UserWarning, match="no generator for column 'favourite_colour'"):
        t = generate_dataframe(["widget_id", "favourite_colour"], rows=3)
    assert t["widget_id"].tolist() == ["WID-000001", "WID-000002", "WID-000003"]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"columns": [], "rows": 5}, ValueError, "columns is empty"),
    ({"columns": ["name"], "rows": 0}, ValueError, "rows must be at least 1"),
    ({"columns": ["name"], "rows": 2.5}, TypeError, "rows must be an integer"),
    ({"columns": ["name"], "rows": 5, "locale": "xx_XX"}, ValueError, "supported: en_US"),
    ({"columns": "name", "rows": 5}, TypeError, "list of column names"),
    ({"columns": ["name"], "rows": 2_000_000}, ValueError, "in-memory limit"),
])
def test_bad_requests(kwargs, error, message):
    with pytest.raises(error, match=message):
        generate_dataframe(**kwargs)


def test_supported_locales():
    assert {"en_US", "de_DE", "fr_FR", "es_ES", "ja_JP"} <= set(LOCALES)


def test_names_follow_the_gender_column():
    from helpers.generate import pools

    p = pools("en_US")  # a locale's pools: female first names, then male ones
    female, male = set(p.first[:p.female]), set(p.first[p.female:])
    assert female and male and not female & male
    t = generate_dataframe(["gender", "name"], rows=400, seed=2)
    first = t["name"].str.split().str[0]
    assert all(f in female for f, g in zip(first, t["gender"], strict=True) if g == "female")
    assert all(f in male for f, g in zip(first, t["gender"], strict=True) if g == "male")


def test_seeded_uuids():
    import uuid

    a = generate_dataframe(["session_uuid"], rows=1000, seed=5)["session_uuid"]
    assert a.equals(generate_dataframe(["session_uuid"], rows=1000, seed=5)["session_uuid"])
    assert a.is_unique
    assert all(uuid.UUID(v).version == 4 for v in a)


def test_derived_columns_follow_their_source_in_any_order():
    a = generate_dataframe(["gender", "email", "name"], rows=200, seed=0)
    b = generate_dataframe(["email", "name", "gender"], rows=200, seed=0)
    pd.testing.assert_frame_equal(a, b[a.columns])
    lasts = a["name"].str.split().str[-1].str.lower()
    assert all(last in email for last, email in zip(lasts, a["email"], strict=True))


@pytest.mark.parametrize("column, kind", [
    ("latitude", "float"), ("population", "int"), ("top_speed", "float"), ("runtime", "int"),
    ("manager", "person"), ("discovered_by", "person"), ("annual_budget", "money"),
    ("time", "datetime"), ("team_rank", "int"),
])
def test_columns_people_name_for_their_own_tables_get_a_fitting_kind(column, kind):
    spec, found = column_spec(column)
    assert (found, spec["kind"]) == ("pattern", kind)


def test_coordinates_and_people_look_the_part():
    t = generate_dataframe(["latitude", "longitude", "manager"], rows=50, seed=0)
    assert t["latitude"].between(-90, 90).all() and t["longitude"].between(-180, 180).all()
    assert t["manager"].str.fullmatch(r"[A-Z][\w'.-]*( [\w'.-]+)+").all()  # 'First Last'


def test_a_tables_own_specs_win_for_that_table_only():
    from helpers.specs import load_generator_specs

    own = load_generator_specs()["tables"]
    catalog = load_catalog()
    for table, columns in own.items():  # data/ names real tables and their real columns
        assert table in catalog and set(columns) <= set(catalog[table]), table
    cars = generate_dataframe(["make", "price"], rows=200, seed=0, table="cars")
    shared = generate_dataframe(["make", "price"], rows=200, seed=0)
    assert cars["price"].min() >= 2500 and shared["price"].max() <= 500
    pets = generate_dataframe(load_catalog()["veterinary"], rows=200, seed=0, table="veterinary")
    assert pets["age"].between(0, 18).all()
    assert column_spec("price", "no_such_table") == column_spec("price")


def test_the_pipeline_fills_a_catalog_table_with_its_own_specs():
    from helpers import generate_dataset

    houses = generate_dataset("house listings for sale", rows=50)
    assert "bedrooms" in houses and houses["price"].min() >= 60_000


def test_a_cars_model_is_one_its_make_builds_and_its_fuel_fits_the_model():
    from helpers.specs import load_generator_specs

    specs = load_generator_specs()["columns"]
    by_make, fuel = specs["model"]["by"], specs["fuel_type"]["by"]
    cars = generate_dataframe(load_catalog()["cars"], rows=3000, seed=0, table="cars")
    assert all(m in by_make[k] for k, m in zip(cars["make"], cars["model"], strict=True))
    assert all(f in fuel.get(m, fuel["*"]) for m, f in zip(cars["model"], cars["fuel_type"],
                                                           strict=True))
    assert (cars.loc[cars["make"] == "Tesla", "fuel_type"] == "electric").all()
    alone = generate_dataframe(["model"], rows=500, seed=0)  # no make: any model
    assert alone["model"].nunique() > len(by_make)


def test_a_companys_departments_are_not_a_hospitals_and_titles_fit_them():
    from helpers.specs import load_generator_specs

    staff = generate_dataframe(load_catalog()["employees"], rows=2000, seed=0)
    ward = generate_dataframe(load_catalog()["hospital"], rows=2000, seed=0)
    assert not set(staff["department"]) & set(ward["department"])
    by = load_generator_specs()["columns"]["job_title"]["by"]
    assert all(j in by[d] for d, j in zip(staff["department"], staff["job_title"], strict=True))


def test_a_product_has_its_category_and_its_price_range():
    from helpers.specs import load_generator_specs

    spec = load_generator_specs()["columns"]["price"]["range_by"]["ranges"]
    stock = generate_dataframe(load_catalog()["inventory"], rows=3000, seed=0)
    for product, (low, high) in spec.items():
        prices = stock.loc[stock["product_name"] == product, "price"]
        assert prices.between(low, high).all() and len(prices) > 100, product
    speakers = stock.loc[stock["product_name"] == "Bluetooth Speaker", "category"]
    assert set(speakers) == {"electronics"}
    courses = generate_dataframe(load_catalog()["online_courses"], rows=500, seed=0)
    assert "travel" not in set(courses["category"]) and courses["price"].min() >= 9


def test_a_catalog_tables_columns_get_its_own_specs_without_naming_it():
    cars = load_catalog()["cars"]
    pd.testing.assert_frame_equal(generate_dataframe(cars, rows=50, seed=2),
                                  generate_dataframe(cars, rows=50, seed=2, table="cars"))
    assert generate_dataframe(["make", "price"], rows=50, seed=2)["price"].max() <= 500


def test_a_kept_seed_state_gives_the_very_stream_a_fresh_seed_would():
    """Seeding is cached (helpers.streams.column_states), not changed: a column's values are
    still those of np.random.default_rng([seed, crc32(name), chunk]), asked twice or once."""
    import zlib

    from helpers.generate import column_states

    before = column_states.cache_info().hits
    for _ in range(2):  # the second time from the kept states
        got = generate_dataframe(["quantity", "satisfaction"], rows=40, seed=3)
        rng = np.random.default_rng([3, zlib.crc32(b"quantity"), 0])
        assert (got["quantity"].to_numpy() == rng.integers(1, 21, size=40)).all()
    assert column_states.cache_info().hits >= before + 1


def test_column_states_are_numpys_own_for_any_seed_column_and_chunk():
    """helpers.streams works PCG64's seeding out in plain integers: the state must be the one
    np.random.PCG64([seed, crc32(column), chunk]) has, for small, 32-bit, 64-bit and huge
    seeds, empty and non-Latin column names, and later chunks."""
    from helpers.streams import column_seed, column_states, pcg64_state

    rng = np.random.default_rng(26)
    seeds = [0, 1, 2**31 - 1, 2**32, 2**64 + 7, 2**300 + 5]
    seeds += [int(rng.integers(2**62)) >> int(rng.integers(62)) for _ in range(40)]
    columns = ("name", "", "電話", "account_number", "x" * 300)
    for seed in seeds:
        for chunk in (0, 1, 2**33):
            states = column_states.__wrapped__(seed, columns, chunk)  # worked out, not kept
            for column, state in zip(columns, states, strict=True):
                assert state == np.random.PCG64(column_seed(seed, column, chunk)).state
    assert pcg64_state([5]) == np.random.PCG64(5).state  # one word of entropy, padded
    with pytest.raises(ValueError, match="non-negative"):
        pcg64_state([-1, 2, 0])


def test_make_columns_is_what_both_the_frame_and_the_api_are_made_of():
    """One function makes a table's columns: generate_chunk's DataFrame holds its values, and
    the API's table_columns returns them as they are."""
    from helpers.api_encoding import table_columns
    from helpers.generate import generate_chunk, make_columns

    for table in ("cars", "hospital", "bank", "support_tickets"):
        columns = load_catalog()[table]
        made = make_columns(columns, 0, 40, 9, "de_DE", "e164", table)
        frame = generate_chunk(columns, 0, 40, 9, "de_DE", "e164", table)
        assert list(made) == columns == list(frame.columns)
        for column in columns:  # as pandas holds them (dates as Timestamps)
            assert pd.Series(made[column]).tolist() == frame[column].tolist(), (table, column)
        api = table_columns(columns, 40, 9, "de_DE", "e164", table)
        assert all(np.array_equal(np.asarray(api[c], dtype=object),
                                  np.asarray(made[c], dtype=object)) for c in columns)


def test_choose_draws_exactly_as_rng_choice():
    """draws.choose skips rng.choice's checks on every call, not its draws."""
    from helpers.draws import Context, choose

    rng = np.random.default_rng(0)
    for trial in range(200):
        k, n, seed = int(rng.integers(1, 50)), int(rng.integers(1, 300)), int(rng.integers(2**40))
        p = None if trial % 3 == 0 else rng.random(k) ** 3
        p = None if p is None else p / p.sum()
        ctx = Context(rng=np.random.default_rng(seed), start=0, n=n, locale="en_US", pools=None)
        expected_rng = np.random.default_rng(seed)
        expected = expected_rng.choice(k, size=n, p=p)
        got = choose(ctx, k, p)
        assert got.dtype == expected.dtype and (got == expected).all()
        assert ctx.rng.random() == expected_rng.random()  # the stream left where choice leaves it
    with pytest.raises(ValueError):  # a p that is not one is refused, as rng.choice refuses it
        choose(Context(rng=np.random.default_rng(0), start=0, n=3, locale="en_US", pools=None),
               2, np.array([0.5, 0.6]))


def test_per_key_is_pandas_map_then_fillna():
    """specs.per_key reads each distinct key once; the result is pandas' map + fillna, for
    categoricals (with a missing value), text, None, NaN and numbers."""
    from helpers.specs import per_key

    mapping = {"a": 1.5, "b": None, "c": 3, 7: 70}
    default = np.arange(8, dtype=float)
    columns = [pd.Categorical(["a", "b", None, "c", "z", "a", "c", "b"]),
               np.array(["a", None, "b", float("nan"), "c", "zz", "a", "c"], dtype=object),
               np.array([7, 7, 1, 2, 7, 0, 7, 3]), ["c", "c", "a", "b", "a", "q", "c", "a"]]
    for keys in columns:
        expected = pd.Series(np.asarray(keys, dtype=object)).map(mapping).fillna(
            pd.Series(default)).to_numpy(float)
        assert np.array_equal(per_key(keys, mapping, default), expected), keys
    ranges = {"a": [1, 2], "c": [5, 9]}
    keys = pd.Categorical(["a", "c", "b", None])
    assert per_key(keys, ranges, np.zeros(4), part=1).tolist() == [2, 9, 0, 0]


def test_codes_by_follows_the_row_by_row_rule():
    """draws.codes_by, vectorised: each row spends its uniform on its key's options (by[key],
    else by["*"]), and a row without options (no key, None, NaN) keeps any value."""
    from helpers.draws import Context, codes_by

    by = {"x": ["p", "q"], "y": ["r"], "*": ["s", "p"]}
    every = ["p", "q", "r", "s", "t"]
    for keys in (pd.Categorical(["x", "y", "w", None, "x", "y"] * 5),
                 np.array(["x", None, "y", float("nan"), "w", "x"] * 5, dtype=object)):
        ctx = Context(rng=np.random.default_rng(4), start=0, n=30, locale="en_US", pools=None)
        got = codes_by(ctx, keys, by, every)
        draws = np.random.default_rng(4).random(30)
        for row, key in enumerate(np.asarray(keys, dtype=object)):
            missing = key is None or (isinstance(key, float) and key != key)
            options = [] if missing else by.get(key, by["*"])
            expected = (every.index(options[int(draws[row] * len(options))]) if options
                        else int(draws[row] * len(every)))
            assert got[row] == expected, (row, key)


def test_unique_numbers_in_int64_equal_the_formula():
    """identifiers.affine and the digit reversal in int64 give what the plain formula gives."""
    from helpers.identifiers import affine

    rng = np.random.default_rng(1)
    for digits in range(1, 21):
        for _ in range(20):
            start = int(rng.integers(10 ** min(digits + 2, 18)))
            values = list(range(start, start + int(rng.integers(1, 30))))
            a, b = int(rng.integers(2**62)) * 3, int(rng.integers(2**40))
            modulus = 10**digits
            factor = a % modulus | 1
            factor = factor + 2 if factor % 5 == 0 else factor
            assert affine(values, digits, a, b) == [(x * factor + b) % modulus for x in values]


@pytest.mark.parametrize("column, kind, low, high", [
    ("created_at_timestamp", "datetime", None, None),  # the type word says what created_at is
    ("author_id", "id", None, None),  # a type word that disagrees: an identifier, not a name
    ("city_id", "id", None, None),
    ("event_timestamp", "datetime", None, None),
    ("completion_percent", "float", 0, 100),
    ("user_rating", "float", 1, 5),
    ("chess_rating", "int", 1000, 2800),               # Elo, not stars
    ("patient_age", "age", 0, 100),
    ("order_total", "product", 1, 5000),
])
def test_type_words_and_subjects_decide_a_columns_kind_and_range(column, kind, low, high):
    spec, found = column_spec(column)
    assert (found, spec["kind"]) == ("pattern", kind)
    assert (spec.get("low"), spec.get("high")) == (low, high) or low is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of them falls back to text
        values = generate_dataframe([column], rows=200, seed=0)[column]
    if low is not None:
        assert values.between(low, high).all()


def test_subject_names_are_the_subjects_not_people():
    t = generate_dataframe(["volcano_name", "river_name", "ship_name"], rows=100, seed=0)
    from helpers.specs import load_values

    for column in t.columns:
        assert set(t[column]) <= set(load_values()[column])


def test_amounts_take_their_currencys_decimals():
    t = generate_dataframe(load_catalog()["credit_card_transactions"], rows=3000, seed=0)
    yen = t.loc[t["currency"] == "JPY", "amount"]
    assert len(yen) > 100 and (yen == yen.round(0)).all()
    assert (t.loc[t["currency"] == "EUR", "amount"] % 1 != 0).any()


def test_fifteen_locales_with_their_words_and_cities():
    """Every locale has real cities (data/locales.json) and its words in data/reading.json, the
    one place they are kept: no locale's words left in data/locales.json."""
    from helpers.paths import data_file
    from helpers.slots import load_reading_words
    from helpers.specs import load_locales, read_json

    assert len(LOCALES) >= 16
    assert {"es_MX", "en_GB", "it_IT", "pt_BR", "nl_NL", "pl_PL", "en_IN", "ko_KR",
            "zh_CN"} <= set(LOCALES)
    words = load_reading_words()["locales"]
    assert set(words) == set(LOCALES)
    for locale, spec in load_locales().items():
        assert spec["cities"], locale
        assert all(words[locale][kind] for kind in ("adjectives", "countries", "cities",
                                                    "languages")), locale
        assert "words" not in spec, locale
    assert "reading" not in read_json(data_file("locales.json"))
    tagged = load_reading_words()["tagged_locales"]  # the shipped checkpoint's training set
    assert tagged == ["en_US", "de_DE", "fr_FR", "es_ES", "ja_JP"]


@pytest.mark.parametrize("prompt, locale, city", [
    ("20 customers from Berlin", "de_DE", "Berlin"),
    ("users in Tokyo", "ja_JP", "東京都"),
    ("customers from Munich", "de_DE", "München"),
    ("customers from Toronto", "en_CA", "Toronto"),
    ("50 Italian customers", "it_IT", None),
    ("customers from Madrid", "es_ES", "Madrid"),
    ("customers from Shanghai", "zh_CN", "上海"),
])
def test_a_place_the_prompt_names_is_read_and_its_city_used(prompt, locale, city):
    from helpers import generate_dataset
    from helpers.pipeline import read_request

    assert read_request(prompt).locale == locale
    t = generate_dataset(prompt, rows=30)
    if city is None:
        assert t["city"].nunique() > 1 and (t["country"] == LOCALES[locale]).all()
    else:
        assert (t["city"] == city).all()


def test_a_place_no_locale_serves_is_said_in_one_line():
    from helpers.pipeline import place_note, read_request

    reading = read_request("50 users in Peru")
    note = place_note(reading, reading.locale)
    assert note.startswith("Peru is not among the locales; using es_MX")
    assert all(locale in note for locale in LOCALES)
    assert place_note(read_request("20 restaurants in Mexico"), "es_MX") is None
    assert read_request("20 restaurants in Mexico").locale == "es_MX"


def test_place_note_drops_the_words_before_each_tagged_place():
    """A place the model tagged with the words before it ('based in Lima'): the note names the
    place alone, each span's leading words dropped (helpers.places, data/reading.json)."""
    from helpers.pipeline import place_note
    from helpers.slots import PromptReading

    tags = [("customers", "O"), ("based", "B-LOC"), ("in", "I-LOC"), ("Lima", "I-LOC"),
            ("and", "O"), ("the", "B-LOC"), ("city", "I-LOC"), ("of", "I-LOC"),
            ("Quito", "I-LOC")]
    reading = PromptReading("customers based in Lima and the city of Quito", ["name"], tags=tags)
    assert place_note(reading, "es_MX").startswith("Lima Quito is not among the locales")
    only_fillers = PromptReading("customers in the", ["name"],
                                 tags=[("customers", "O"), ("in", "B-LOC"), ("the", "I-LOC")])
    assert place_note(only_fillers, "en_US") is None


ISSUE_VOLCANOES = "volcano eruptions with name, country, date and magnitude"


def test_a_subjects_name_is_the_subjects_and_its_country_varies_with_it():
    """The issue's prompt: a volcano's name in `name` (not a person's) and the country it is
    in (data/generators.json's subject_tables), not "United States" in every row."""
    from helpers import check_table, generate_dataset
    from helpers.pipeline import read_request
    from helpers.specs import load_generator_specs, load_values

    reading = read_request(ISSUE_VOLCANOES)
    assert (reading.table, reading.columns) == ("volcano", ["name", "country", "date",
                                                            "magnitude"])
    t = generate_dataset(ISSUE_VOLCANOES, rows=200)
    assert set(t["name"]) <= set(load_values()["volcano_name"]) and t["name"].nunique() > 10
    where = load_generator_specs()["subject_tables"]["volcano"]["columns"]["country"]["by"]
    assert all(c in where[n] for n, c in zip(t["name"], t["country"], strict=True))
    assert t["country"].nunique() >= 5 and (t["country"] == "United States").mean() < 0.5
    assert check_table(t, catalog_table="volcano").ok
    broken = t.astype({"country": object})
    broken.loc[(broken["name"] == "Etna").to_numpy().argmax(), "country"] = "Japan"
    assert check_table(broken, catalog_table="volcano").violations["value_fits_row"] == 1


@pytest.mark.parametrize("prompt, subject, values", [
    ("rivers with name, country and length", "river", "river_name"),
    ("ships with name, country and tonnage", "ship", "ship_name"),
    ("mountains with name, country and elevation", "mountain", "mountain_name"),
])
def test_more_subjects_name_their_own_names(prompt, subject, values):
    from helpers import generate_dataset
    from helpers.pipeline import read_request
    from helpers.specs import load_values

    assert read_request(prompt).table == subject
    t = generate_dataset(prompt, rows=100)
    assert set(t["name"]) <= set(load_values()[values])


def test_a_chess_tournaments_rating_is_an_elo_rating():
    from helpers import generate_dataset

    t = generate_dataset("a chess tournament with player name, rating and country", rows=200)
    assert t["rating"].between(1000, 2800).all() and t["rating"].max() > 5
    assert t["country"].nunique() > 5


def test_a_country_varies_where_no_place_is_named_and_not_where_one_is():
    from helpers import generate_dataset
    from helpers.pipeline import read_request

    anywhere = generate_dataset("earthquakes with country, magnitude and date", rows=200)
    assert anywhere["country"].nunique() >= 10
    assert read_request("earthquakes with country, magnitude and date").table == "world"
    german = generate_dataset("earthquakes in Germany with country, magnitude and date", rows=50)
    assert (german["country"] == "Germany").all()
    customers = generate_dataset("a list of customers with emails and phone numbers", rows=50)
    assert customers["country"].nunique() == 1  # addresses place every row in the locale


def test_the_fallback_subject_is_the_one_data_marks(monkeypatch):
    """subject_in_prompt names no subject in code: data/generators.json's "fallback" flag
    says which subject a table with no subject and no place gets ('world' as shipped)."""
    import copy

    from helpers import specs
    from helpers.pipeline import subject_in_prompt
    from helpers.slots import PromptReading

    words = "earthquakes with country magnitude and date".split()
    reading = PromptReading(" ".join(words), ["country", "magnitude", "date"],
                            tags=[(w, "O") for w in words])
    shipped = specs.load_generator_specs()
    assert shipped["subject_tables"]["world"]["fallback"] is True
    assert subject_in_prompt(reading) == ("world", None)
    moved = copy.deepcopy(shipped)
    moved["subject_tables"]["earth"] = moved["subject_tables"].pop("world")
    monkeypatch.setattr(specs, "load_generator_specs", lambda: moved)
    assert subject_in_prompt(reading) == ("earth", None)
    del moved["subject_tables"]["earth"]["fallback"]
    assert subject_in_prompt(reading) == (None, None)


def test_china_is_served_by_zh_cn():
    """'20 restaurants in China' gave US rows before zh_CN; 'from Shanghai' is every row's city."""
    import phonenumbers

    from helpers import check_table, generate_dataset
    from helpers.pipeline import place_note, read_request

    reading = read_request("20 restaurants in China")
    assert reading.locale == "zh_CN" and place_note(reading, "zh_CN") is None
    t = generate_dataset("20 restaurants in China")
    assert len(t) == 20 and t["address"].str.endswith("号").all()
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p, "CN")) for p in t["phone"])
    assert check_table(t).locale == "zh_CN" and check_table(t).ok
    shanghai = generate_dataset("customers from Shanghai", rows=30)
    assert (shanghai["city"] == "上海").all() and (shanghai["country"] == "China").all()
    assert shanghai["phone"].str.match(r"021 |1\d\d ").all()  # Shanghai's area code or a mobile


@pytest.mark.parametrize("place", ["Argentina", "Egypt", "Nigeria", "Russia", "Turkey",
                                   "Hong Kong", "Vietnam"])
def test_places_people_name_that_no_locale_serves_get_one_line(place):
    from helpers.pipeline import place_note, read_request
    from helpers.slots import load_reading_words

    nearby = load_reading_words()["place_rules"]["nearby"][place.lower()]
    reading = read_request(f"30 customers in {place}")
    assert reading.locale == nearby
    assert place_note(reading, reading.locale).startswith(
        f"{place} is not among the locales; using {nearby} (supported: ")


def test_yuan_have_two_decimals_and_yen_none():
    from helpers.specs import currency_decimals

    assert currency_decimals(["CNY", "JPY", "EUR", "KRW"]).tolist() == [2, 0, 2, 0]


def test_a_type_word_after_a_known_column_leaves_its_name():
    """'20 users plus a created_at timestamp' gave created_at_timestamp filled with sentences;
    the type word says what created_at is (a datetime) and leaves the name."""
    from helpers import generate_dataset
    from helpers.pipeline import read_request

    reading = read_request("20 users plus a created_at timestamp")
    assert "created_at" in reading.columns and "created_at_timestamp" not in reading.columns
    assert "+created_at" in reading.summary()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no column falls back to text
        t = generate_dataset("20 users plus a created_at timestamp")
    assert len(t) == 20 and pd.api.types.is_datetime64_any_dtype(t["created_at"])
    assert read_request("orders with an event timestamp").columns[-1] == "event_timestamp"


def test_the_json_path_and_the_dataframe_take_a_catalog_tables_own_specs_alike():
    """Columns that are exactly a catalog table's get its own specs on both paths, so the API's
    JSON and CSV answers hold the same values (cars' prices, employees' departments)."""
    from helpers.api_encoding import table_columns

    for name in ("cars", "employees", "hotel"):
        columns = load_catalog()[name]
        frame = generate_dataframe(columns, rows=20, seed=1)
        made = table_columns(columns, 20, 1, "en_US")
        for column in columns:
            assert list(pd.Series(np.asarray(made[column])).astype(str)) == \
                list(frame[column].astype(str)), (name, column)
