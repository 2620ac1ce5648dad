"""fit in one thread while other threads predict, on the same model and on another: nothing breaks and the
trained weights are bit for bit those of a run alone."""

import threading

import numpy as np

import npkeras
from npkeras import layers
from npkeras.backend import threads

RNG = np.random.default_rng(0)
X = RNG.random((256, 64)).astype("float32")
Y = RNG.integers(0, 4, 256)


def trained_model():
    npkeras.utils.set_random_seed(3)
    model = npkeras.Sequential(
        [
            npkeras.Input((64,)),
            layers.Dense(32, activation="relu", activity_regularizer=npkeras.regularizers.L2(1e-3)),
            layers.BatchNormalization(),
            layers.Dropout(0.3),
            layers.Dense(4, activation="softmax", kernel_regularizer=npkeras.regularizers.L2(1e-3)),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def other_model():
    inputs = npkeras.Input((64,))
    return npkeras.Model(inputs, layers.Dense(512)(layers.Dense(256, activation="relu")(inputs)))


def test_fit_beside_predicting_threads_trains_exactly_as_alone():
    blas_before = [lib.num_threads for lib in threads._blas_libraries()]
    alone = trained_model()
    alone_history = alone.fit(X, Y, batch_size=16, epochs=3, validation_split=0.25, verbose=0)

    other = other_model()  # made first: building draws from the random stream that fit then shuffles with
    model = trained_model()
    big = np.tile(X, (4, 1))  # 1,024 rows: large GEMMs, which a lone thread would run on every core
    stop, both_started = threading.Event(), threading.Barrier(3)
    predicting, errors = {"same": False, "other": False}, []

    def serve(name, target):
        try:
            both_started.wait(10)
            while not stop.is_set():
                predicting[name] = True
                out = target.predict(big, batch_size=512, verbose=0)
                predicting[name] = False
                assert out.shape[0] == len(big) and np.isfinite(out).all()
        except BaseException as e:  # reported below
            errors.append(e)

    targets = {"same": model, "other": other}
    servers = [threading.Thread(target=serve, args=(name, target)) for name, target in targets.items()]
    for server in servers:
        server.start()
    both_started.wait(10)
    seen_predicting = {"same": False, "other": False}  # at some training batch's end, inside a predict call

    def look(batch, logs):
        for name, now in predicting.items():
            seen_predicting[name] |= now

    logger = npkeras.callbacks.LambdaCallback(on_train_batch_end=look)
    try:
        history = model.fit(X, Y, batch_size=16, epochs=3, validation_split=0.25, verbose=0, callbacks=[logger])
    finally:
        stop.set()
        for server in servers:
            server.join()
    assert not errors, errors
    assert blas_before == [lib.num_threads for lib in threads._blas_libraries()]
    assert seen_predicting == {"same": True, "other": True}  # both were predicting while fit ran
    assert history.history == alone_history.history
    for a, b in zip(alone.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_two_threads_each_fitting_its_own_model_train_exactly_as_alone():
    alone = trained_model()
    alone_history = alone.fit(X, Y, batch_size=16, epochs=2, verbose=0).history
    models = [trained_model(), trained_model()]  # the same seed: the same weights and shuffling stream
    histories, errors, start = {}, [], threading.Barrier(2)

    def run(index):
        try:
            start.wait(10)
            histories[index] = models[index].fit(X, Y, batch_size=16, epochs=2, verbose=0).history
        except BaseException as e:  # reported below
            errors.append(e)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, errors
    for index, model in enumerate(models):
        assert histories[index] == alone_history
        for a, b in zip(alone.get_weights(), model.get_weights()):
            np.testing.assert_array_equal(a, b)
