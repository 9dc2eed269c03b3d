-- A small record shop, written the SQLite way: artists release albums, albums hold tracks,
-- customers buy tracks on invoices, one line per track bought.
CREATE TABLE artists (
    artist_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name      TEXT NOT NULL
);

CREATE TABLE genres (
    genre_id INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE
);

CREATE TABLE albums (
    album_id  INTEGER PRIMARY KEY,
    title     TEXT NOT NULL,
    artist_id INTEGER NOT NULL REFERENCES artists (artist_id),
    release_year INTEGER CHECK (release_year BETWEEN 1950 AND 2025)
);

CREATE TABLE tracks (
    track_id     INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    album_id     INTEGER REFERENCES albums (album_id),
    genre_id     INTEGER REFERENCES genres,
    composer     TEXT,
    milliseconds INTEGER NOT NULL CHECK (milliseconds > 0),
    unit_price   NUMERIC(10, 2) NOT NULL DEFAULT 0.99 CHECK (unit_price >= 0.49 AND unit_price <= 1.99)
);

CREATE TABLE customers (
    customer_id INTEGER PRIMARY KEY,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    email       TEXT NOT NULL UNIQUE,
    phone       TEXT,
    city        TEXT,
    country     TEXT
);

CREATE TABLE invoices (
    invoice_id      INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL,
    invoice_date    DATETIME NOT NULL,
    billing_city    TEXT,
    total           NUMERIC(10, 2) NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (customer_id)
);

CREATE TABLE invoice_lines (
    invoice_line_id INTEGER PRIMARY KEY,
    invoice_id      INTEGER NOT NULL REFERENCES invoices (invoice_id) ON DELETE CASCADE,
    track_id        INTEGER NOT NULL REFERENCES tracks (track_id),
    unit_price      NUMERIC(10, 2) NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity IN (1, 2, 3))
);
