"""What a tester would check, with libraries nobody here wrote: libphonenumber for phone
numbers, python-stdnum for card numbers and ISBNs, email-validator for e-mail syntax."""

import numpy as np
import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from stdnum import isbn, luhn

from helpers.generate import LOCALES, generate_dataframe, pools

ROWS = 5_000


@pytest.mark.parametrize("locale", list(LOCALES))
def test_phone_numbers_are_valid_in_every_locale(locale):
    phones = generate_dataframe(["phone"], rows=ROWS, seed=11, locale=locale)["phone"]
    region = locale.split("_")[1]
    invalid = [p for p in phones if not phonenumbers.is_valid_number(phonenumbers.parse(p, region))]
    assert not invalid, f"{len(invalid)} of {ROWS:,} invalid, e.g. {invalid[:3]}"
    assert not phones.str.contains("x|ext", case=False).any()  # no extensions unless asked


@pytest.mark.parametrize("locale", list(LOCALES))
def test_phone_numbers_have_one_national_format_per_table(locale):
    """Every number is written the way libphonenumber writes it nationally (give or take
    spaces): one consistent format, not Faker's mix of '(01183) 98124' and '+49 ...'."""
    phones = generate_dataframe(["phone"], rows=300, seed=12, locale=locale)["phone"]
    region = locale.split("_")[1]
    national = phonenumbers.PhoneNumberFormat.NATIONAL
    for p in phones:
        ours = p.replace(" ", "")
        theirs = phonenumbers.format_number(phonenumbers.parse(p, region), national)
        assert ours == theirs.replace(" ", ""), (p, theirs)


@pytest.mark.parametrize("locale", list(LOCALES))
def test_e164_phone_numbers(locale):
    phones = generate_dataframe(["phone"], rows=500, seed=13, locale=locale,
                                phone_format="e164")["phone"]
    e164 = phonenumbers.PhoneNumberFormat.E164
    for p in phones:
        number = phonenumbers.parse(p, None)
        assert phonenumbers.is_valid_number(number), p
        assert phonenumbers.format_number(number, e164) == p


def test_e164_is_the_same_number_as_national():
    national = generate_dataframe(["phone"], rows=50, seed=1, locale="de_DE")["phone"]
    e164 = generate_dataframe(["phone"], rows=50, seed=1, locale="de_DE",
                              phone_format="e164")["phone"]
    for a, b in zip(national, e164, strict=True):
        assert phonenumbers.parse(a, "DE") == phonenumbers.parse(b, None)


def test_extensions_only_when_asked(monkeypatch):
    from helpers import generate

    spec = {"kind": "phone", "extension": 0.5}
    monkeypatch.setitem(generate.load_generator_specs()["columns"], "office_phone", spec)
    phones = generate_dataframe(["office_phone"], rows=400, seed=0)["office_phone"]
    share = phones.str.contains(" ext. ").mean()
    assert 0.35 < share < 0.65
    for p in phones:
        number = phonenumbers.parse(p, "US")
        assert phonenumbers.is_valid_number(number)
        assert number.extension is None or number.extension.isdigit()


def test_bad_phone_format_names_the_choices():
    with pytest.raises(ValueError, match="phone_format must be one of national, e164"):
        generate_dataframe(["phone"], rows=2, phone_format="international")


def iso3779_check_digit(vin: str) -> str:
    """Written again here from the standard's tables, independently of helpers.identifiers."""
    values = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9,
                                                   2, 3, 4, 5, 6, 7, 8, 9], strict=True))
    values.update({str(d): d for d in range(10)})
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    remainder = sum(values[c] * w for c, w in zip(vin, weights, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def test_every_vin_has_a_valid_check_digit():
    vins = generate_dataframe(["vin"], rows=ROWS, seed=3)["vin"]
    assert vins.str.fullmatch(r"[A-HJ-NPR-Z0-9]{17}").all()
    assert all(v[8] == iso3779_check_digit(v) for v in vins)
    assert vins.is_unique
    assert iso3779_check_digit("1M8GDM9AXKP042788") == "X"  # the textbook example


def test_cards_and_isbns_pass_stdnum():
    t = generate_dataframe(["card_number", "isbn"], rows=ROWS, seed=4)
    assert all(luhn.is_valid(c) for c in t["card_number"])
    assert all(isbn.is_valid(i) for i in t["isbn"])


@pytest.mark.parametrize("locale", list(LOCALES))
def test_emails_are_valid_and_unique(locale):
    emails = generate_dataframe(["name", "email"], rows=20_000, seed=5, locale=locale)["email"]
    assert emails.is_unique
    for e in emails.iloc[:2000]:
        try:
            validate_email(e, check_deliverability=False)
        except EmailNotValidError as error:
            pytest.fail(f"{e}: {error}")


def test_emails_unique_across_chunks(monkeypatch):
    from helpers import generate

    monkeypatch.setattr(generate, "CHUNK_ROWS", 1_000)  # three chunks, the same rules
    emails = generate.generate_dataframe(["name", "email"], rows=3_000, seed=6)["email"]
    assert emails.is_unique
    assert emails.iloc[:1000].str.fullmatch(r"[a-z]+\.[a-z]+\d{0,4}@[a-z.]+").all()


def test_variety_matches_a_per_row_loop():
    t = generate_dataframe(["name", "email", "address"], rows=100_000, seed=7)
    assert t["name"].nunique() >= 90_000
    assert t["address"].nunique() >= 95_000
    assert t["email"].is_unique


@pytest.mark.parametrize("locale", list(LOCALES))
def test_addresses_look_like_the_locale(locale):
    address = generate_dataframe(["address"], rows=200, seed=8, locale=locale)["address"]
    shapes = {"en_US": r"\d{1,4} \D+", "de_DE": r"\D+ \d{1,3}", "fr_FR": r"\d{1,3}, \D+",
              "es_ES": r"\D+, \d{1,3}", "ja_JP": r"\D+\d丁目\d{1,2}番\d{1,2}号",
              "en_GB": r"\d{1,3} \D+", "es_MX": r"\D+ \d{1,3}", "it_IT": r"\D+, \d{1,3}",
              "pt_BR": r"\D+, \d{1,4}", "nl_NL": r"\D+ \d{1,3}", "pl_PL": r"ul\. .+ \d{1,3}",
              "en_IN": r"\d{1,3}, \D+", "ko_KR": r"\D+로 \d{1,3}", "en_CA": r"\d{1,4} \D+",
              "en_AU": r"\d{1,3} \D+", "zh_CN": r"\D+\d{1,4}号"}
    assert address.str.fullmatch(shapes[locale]).all(), address.head()
    assert not address.str.contains("Street").any() or locale.startswith("en_")


def test_a_new_seed_costs_no_faker_calls(monkeypatch):
    """Pools belong to the locale: once built, another table seed never calls Faker."""
    import faker

    columns = ["name", "email", "phone", "address", "city"]
    generate_dataframe(columns, rows=10, seed=0)  # builds the pools these columns need

    def refuse(*args, **kwargs):
        raise AssertionError("Faker was called for a new table seed")

    monkeypatch.setattr(faker.Faker, "__init__", refuse)
    for seed in range(5):
        generate_dataframe(columns, rows=10, seed=seed + 1)


def test_pools_do_not_depend_on_the_seed():
    a = generate_dataframe(["origin"], rows=2000, seed=1)["origin"]  # towns from the pool
    b = generate_dataframe(["origin"], rows=2000, seed=2)["origin"]
    assert set(a) <= set(pools("en_US").city) and set(b) <= set(pools("en_US").city)
    assert not a.equals(b)
    assert np.array_equal(pools("en_US").city, pools("en_US").city)


def test_pools_do_not_depend_on_the_order_they_are_built_in():
    from helpers.pools import Pools

    a, b = Pools("de_DE"), Pools("de_DE")
    first_city, first_street = a.city, a.street
    assert np.array_equal(b.street, first_street) and np.array_equal(b.city, first_city)


def test_warm_pools_builds_every_pool(monkeypatch):
    from helpers import pools as module

    monkeypatch.setattr(module, "_built", {})
    module.warm_pools()
    assert set(module._built) == set(LOCALES)
    for p in module._built.values():
        assert {"street", "city", "company", "sentence", "title", "url", "user_agent"} <= set(
            vars(p))


@pytest.mark.parametrize("locale", list(LOCALES))
def test_a_city_gives_its_area_code_and_postcode(locale):
    """A landline of a row carries its city's area code (libphonenumber's own reading of the
    number's digits), a postcode one of its city's shapes, whatever the locale."""
    from helpers.specs import load_locales

    spec = load_locales()[locale]
    mobile = {p for b in spec["phone"] if b.get("mobile") for p in b["prefixes"]}
    area = {c["name"]: c["area"] for c in spec["cities"]}
    t = generate_dataframe(["phone", "city", "postcode"], rows=500, seed=4, locale=locale)
    region = locale.split("_")[1]
    for phone, city in zip(t["phone"], t["city"], strict=True):
        nsn = phonenumbers.national_significant_number(phonenumbers.parse(phone, region))
        assert nsn.startswith(area[city]) or any(nsn.startswith(m) for m in mobile), (phone, city)
    assert t["city"].nunique() == len(area)


def test_locales_json_is_consistent():
    """Each numbering-plan block: prefixes of one length, and format has a '#' per digit; each
    address format names only fields it gives a range for (or the street)."""
    import string

    from helpers.specs import load_locales

    for locale, spec in load_locales().items():
        for block in spec["phone"]:
            lengths = {len(p) for p in block["prefixes"]}
            assert len(lengths) == 1, (locale, block["prefixes"])
            assert lengths.pop() + block["rest"] == block["format"].count("#"), locale
            assert set(block["first"]) <= set("0123456789") and block["first"]
        landline = {p for b in spec["phone"] if not b.get("mobile") for p in b["prefixes"]}
        for city in spec["cities"]:  # each city's area code is one the plan dials
            assert city["area"] in landline, (locale, city["name"])
        fields = {f for _, f, _, _ in string.Formatter().parse(spec["address"]["format"]) if f}
        for field in fields - {"street", "town"}:
            low, high = spec["address"][field]
            assert 0 <= low <= high < 10_000, (locale, field)


def test_city_named_drops_the_words_before_a_place():
    """'based in Munich', 'the city of Munich': the words before the place are
    data/reading.json's (helpers.places), and only they go ('Quebec City' keeps its City)."""
    from helpers.contacts import city_named

    for span in ("Munich", "from Munich", "based in Munich", "the city of Munich",
                 "located in munchen"):
        assert city_named("de_DE", span) == "München", span
    assert city_named("en_CA", "from Quebec City") == "Quebec City"
    assert city_named("es_MX", "in Mexico City") == "Ciudad de México"
    assert city_named("de_DE", "the city of") is None and city_named("de_DE", "") is None


def test_place_fillers_come_from_data():
    from helpers.places import place_fillers, strip_place_fillers
    from helpers.slots import load_reading_words

    rules = load_reading_words()["place_rules"]
    words = {w for phrase in rules["before_place"] + rules["fillers"] for w in phrase.split()}
    assert place_fillers() == words and {"based", "in", "from", "the", "of"} <= words
    assert strip_place_fillers("out of the town of Lyon") == "Lyon"
    assert strip_place_fillers("in the") == ""


def test_one_character_array_maker_and_one_vin_year_table():
    """contacts.prefix_chars is identifiers.char_rows under its old name, and a VIN's random
    model-year letters are the ISO 3779 cycle's for 2010-2025, not a second copy of it."""
    from helpers import contacts, identifiers

    assert contacts.prefix_chars is identifiers.char_rows
    assert identifiers.char_rows(["1HG", "WBA"]).tolist() == [["1", "H", "G"], ["W", "B", "A"]]
    assert "".join(identifiers.VIN_YEARS) == "ABCDEFGHJKLMNPRS"
    assert (identifiers.VIN_YEARS == identifiers.vin_year_codes(range(2010, 2026))).all()


def test_a_missing_or_unlisted_city_gets_the_plain_postcode_shape():
    """A postcode follows its row's city (draws.codes_by); a city the locale does not list, or
    none at all (a NULL in a linked table), gets five digits."""
    import re

    from helpers.contacts import gen_postcode
    from helpers.draws import Context

    city = np.array(["London", None, float("nan"), "Atlantis"] * 50, dtype=object)
    ctx = Context(rng=np.random.default_rng(1), start=0, n=len(city), locale="en_GB",
                  pools=pools("en_GB"), table={"city": city})
    codes = gen_postcode(ctx, {"city_of": "city"}, "postcode")
    plain = [bool(re.fullmatch(r"\d{5}", c)) for c in codes]
    assert plain == [c != "London" for c in city]
