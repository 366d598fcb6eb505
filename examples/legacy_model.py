"""A small Keras 1 era model, as found in old tutorials: run keras-compat on it."""

import keras.backend as K
from keras.layers import Convolution2D, Dense, Dropout, Flatten, MaxPooling2D
from keras.models import Sequential
from keras.optimizers import Adam


def build_model(num_classes):
    model = Sequential()
    model.add(Convolution2D(32, 3, 3, border_mode="same", init="he_normal", input_shape=(28, 28, 1)))
    model.add(MaxPooling2D(pool_size=(2, 2), dim_ordering="tf"))
    model.add(Dropout(p=0.25))
    model.add(Flatten())
    model.add(Dense(output_dim=num_classes, activation="softmax"))
    model.compile(optimizer=Adam(lr=0.001, decay=1e-6), loss="categorical_crossentropy")
    return model


def train(model, x, y):
    model.fit(x, y, nb_epoch=10, batch_size=32)
    return model.predict_classes(x)


def mean_abs(x):
    return K.mean(K.abs(x), axis=-1)
