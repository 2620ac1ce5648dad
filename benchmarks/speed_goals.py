"""Issue 20's speed goals as one plan for benchmarks/compare.py --goals, and the table that checks them.

Each plan entry is a model, a batch size, the training subset it runs on (NTRAIN; the goals are ratios, so a
subset that gives steady epochs will do) and whether it is measured again with one core kept busy.
"""

PLAN = [  # (model, batch, NTRAIN, also under load)
    ("mlp", 32, 60000, True),  # TensorFlow's best epoch on 12,000 images moved 2x between runs
    ("cnn", 32, 6000, True),
    ("cnn", 128, 6000, False),
    ("resnet20", 64, 1280, False),
    ("lstm", 32, 2000, True),
    ("lstm", 128, 4000, False),
    ("rowlstm", 128, 6000, False),
]

# (what, model, batch, measure, reference, at least): measure is "train", "infer" or "slowdown"; for
# "slowdown" the goal is npkeras's slowdown under load / the reference's, at most `at least` (1.0).
GOALS = [
    ("notes' MLP, training", "mlp", 32, "train", "tensorflow", 4.0),
    ("notes' MLP, training", "mlp", 32, "train", "pytorch", 1.3),
    ("notes' CNN, training", "cnn", 32, "train", "tensorflow", 1.3),
    ("notes' CNN, training", "cnn", 32, "train", "pytorch", 1.0),
    ("notes' CNN, training", "cnn", 128, "train", "tensorflow", 1.0),
    ("notes' CNN, training", "cnn", 128, "train", "pytorch", 1.0),
    ("notes' CNN, evaluate(batch_size=256)", "cnn", 32, "infer", "tensorflow", 1.3),
    ("notes' CNN, evaluate(batch_size=256)", "cnn", 32, "infer", "pytorch", 1.3),
    ("ResNet-20, training", "resnet20", 64, "train", "pytorch", 0.8),
    ("notes' LSTM, training", "lstm", 128, "train", "tensorflow", 1.0),
    ("row-LSTM, training", "rowlstm", 128, "train", "tensorflow", 1.0),
    ("row-LSTM, training", "rowlstm", 128, "train", "pytorch", 0.7),
    ("notes' MLP, slowdown under load", "mlp", 32, "slowdown", "tensorflow", 1.0),
    ("notes' CNN, slowdown under load", "cnn", 32, "slowdown", "tensorflow", 1.0),
    ("notes' LSTM, slowdown under load", "lstm", 32, "slowdown", "tensorflow", 1.0),
]


def goal_ratio(results, model, batch, measure, reference):
    """npkeras / reference for "train" and "infer"; npkeras's slowdown / the reference's for "slowdown"."""
    entry = results.get((model, batch), {})
    if measure == "slowdown":
        quiet, loaded = entry.get("train", {}), entry.get("train_loaded", {})
        if not all(lib in d for d in (quiet, loaded) for lib in ("npkeras", reference)):
            return None
        return (quiet["npkeras"] / loaded["npkeras"]) / (quiet[reference] / loaded[reference])
    values = entry.get(measure, {})
    if "npkeras" not in values or reference not in values:
        return None
    return values["npkeras"] / values[reference]


def print_goals(results):
    print("\nissue 20's goals (ratios from the runs above)")
    for what, model, batch, measure, reference, target in GOALS:
        ratio = goal_ratio(results, model, batch, measure, reference)
        if measure == "slowdown":
            wanted, met = f"<= {target:.2f}", ratio is not None and ratio <= target
            label = f"npkeras's slowdown / {reference}'s"
        else:
            wanted, met = f">= {target:.2f}", ratio is not None and ratio >= target
            label = f"npkeras / {reference}"
        shown = "not measured" if ratio is None else f"{ratio:.2f}x"
        verdict = "met" if met else "NOT met"
        print(f"  {what + f', batch {batch}':<48} {label:<34} {shown:>12}  goal {wanted}  {verdict}")
