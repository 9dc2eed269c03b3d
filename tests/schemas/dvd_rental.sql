-- A DVD rental shop, written the PostgreSQL way: films with their cast, copies of films on the
-- shelves, customers who rent copies and pay for each rental.
CREATE TABLE actors (
    actor_id    SERIAL PRIMARY KEY,
    first_name  VARCHAR(45) NOT NULL,
    last_name   VARCHAR(45) NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE films (
    film_id          SERIAL PRIMARY KEY,
    title            VARCHAR(255) NOT NULL,
    description      TEXT,
    release_year     INTEGER,
    rental_duration  SMALLINT NOT NULL DEFAULT 3 CHECK (rental_duration BETWEEN 1 AND 7),
    rental_rate      NUMERIC(4, 2) NOT NULL DEFAULT 4.99,
    length           SMALLINT,
    replacement_cost NUMERIC(5, 2) NOT NULL DEFAULT 19.99,
    rating           VARCHAR(5) DEFAULT 'G' CHECK (rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17'))
);

CREATE TABLE film_actor (
    actor_id    INTEGER NOT NULL REFERENCES actors (actor_id),
    film_id     INTEGER NOT NULL REFERENCES films (film_id),
    last_update TIMESTAMP NOT NULL DEFAULT now(),
    PRIMARY KEY (actor_id, film_id)
);

CREATE TABLE inventory (
    inventory_id SERIAL PRIMARY KEY,
    film_id      INTEGER NOT NULL REFERENCES films (film_id),
    store_id     SMALLINT NOT NULL CHECK (store_id IN (1, 2))
);

CREATE TABLE customers (
    customer_id SERIAL PRIMARY KEY,
    first_name  VARCHAR(45) NOT NULL,
    last_name   VARCHAR(45) NOT NULL,
    email       VARCHAR(50) UNIQUE,
    active      BOOLEAN NOT NULL DEFAULT true,
    create_date DATE NOT NULL DEFAULT CURRENT_DATE
);

CREATE TABLE rentals (
    rental_id    SERIAL PRIMARY KEY,
    rental_date  TIMESTAMP NOT NULL,
    inventory_id INTEGER NOT NULL REFERENCES inventory (inventory_id),
    customer_id  INTEGER NOT NULL REFERENCES customers (customer_id),
    return_date  TIMESTAMP
);

CREATE TABLE payments (
    payment_id   SERIAL PRIMARY KEY,
    customer_id  INTEGER NOT NULL,
    rental_id    INTEGER NOT NULL,
    amount       NUMERIC(5, 2) NOT NULL CHECK (amount >= 0),
    payment_date TIMESTAMP NOT NULL,
    CONSTRAINT payment_customer FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
    CONSTRAINT payment_rental FOREIGN KEY (rental_id) REFERENCES rentals (rental_id)
        ON UPDATE CASCADE ON DELETE SET NULL
);
