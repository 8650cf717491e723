"""Alembic environment: run with the engine the application already has."""

from alembic import context

from kiosk.store.models import Base

engine = context.config.attributes.get("connection_engine")
if engine is None:
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
