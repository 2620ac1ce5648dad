"""Resolving Keras identifiers (names, configs, instances) with errors that list valid names."""


def resolve(kind, identifier, table, instance_types=(), allow_callable=True):
    """Look `identifier` up in `table` (name -> factory) for the `kind` of object named.

    Strings match exactly or in snake_case; dicts are {"class_name", "config"} configs.
    """
    from npkeras.utils.naming import to_snake_case

    if isinstance(identifier, instance_types):
        return identifier
    if isinstance(identifier, str):
        factory = table.get(identifier) or table.get(to_snake_case(identifier))
        if factory is None:
            valid = ", ".join(sorted(table))
            raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}. Valid {kind} names are: {valid}")
        return factory() if isinstance(factory, type) else factory
    if isinstance(identifier, dict):
        name = identifier.get("class_name")
        cls = table.get(name) or table.get(to_snake_case(name or ""))
        if not isinstance(cls, type):
            raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")
        return cls.from_config(identifier.get("config", {}))
    if allow_callable and callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")


def serialize(obj, module):
    """Keras 3's serialized form of an object with get_config(); None stays None."""
    if obj is None:
        return None
    return {"module": module, "class_name": type(obj).__name__, "config": obj.get_config(), "registered_name": None}
