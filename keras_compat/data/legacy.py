"""Knowledge tables for the legacy-API rules (KC201-KC205).

* ``ARG_RENAMES`` (KC201 renamed-keras-argument): every keyword conversion of the Keras 1 -> 2 converter
  (``keras/legacy/interfaces.py`` of Keras 2.2.4, identical in 2.3.1), plus the few conversions that lived
  elsewhere (``Model.fit``, callbacks, ``to_categorical``, legacy layer factories).
* ``KERNEL_CONVERSIONS`` (KC202): Keras 1 kernel dimensions folded into ``kernel_size``.
* ``CLASS_RENAMES`` and ``MERGE_MODES`` (KC203): Keras 1 (and multi-backend-only) names.
* ``REMOVED_METHODS`` (KC204), ``OPTIMIZER_ARGS`` and ``OPTIMIZERS`` (KC205).

Entries are plain data (see ``keras_compat.data.schema``); paths are flavour-free (``layers.Conv2D``).

Citation convention: ``source`` names the released package and file the fact was read from, then the
symbol, e.g. ``"keras 2.2.4 keras/legacy/interfaces.py legacy_conv2d_support"``; "A vs B" means the fact
is the difference between two releases. ``since`` is the first release with the new behaviour (for
converter entries: the first Keras release whose ``interfaces.py`` has the conversion). In
``CLASS_RENAMES`` ``removed_in`` is where the old name stops working in the modern stack; an empty
``removed_in`` means the old name is still exported as an alias (it only lost the Keras 1 argument
conversion). Everything here is checked against the real packages by ``tests/test_tables.py``.
"""

from __future__ import annotations

from keras_compat.data.schema import (
    ArgRename,
    ClassRename,
    KernelConversion,
    LegacyOptimizer,
    MergeMode,
    OptimizerArg,
    RemovedMethod,
    ShapeConversion,
    built_on_first_use,
)

_SRC = "keras 2.2.4 keras/legacy/interfaces.py "
_K2 = "Keras 2.0.0"
_TFK = "tf.keras (TF 2.x)"  # absent from the tf.keras public API (and so from tf-keras 2.15 and Keras 3)

# Value maps: old literal -> source text of the new value.
_DIM_ORDERING = (("tf", '"channels_last"'), ("th", '"channels_first"'), ("default", "None"))
_CONSUME_LESS = (("cpu", "0"), ("mem", "1"), ("gpu", "2"))
_FORGET_BIAS_INIT = (("one", "True"),)
_FORGET_BIAS_NOTE = ("only forget_bias_init='one' maps to unit_forget_bias=True; other values were dropped "
                     "by Keras 2")
_BACKEND_SRC = "keras 1.2.2 vs 2.0.0 keras/backend/tensorflow_backend.py "
_STEPS_NOTE = "counts batches, not samples: divide by the batch size"

# Classes (and aliases) whose constructor carries each Keras 2.2.4 legacy decorator. A rename is listed
# only for the classes that take its new keyword (SimpleRNN has no recurrent_activation, only LSTM has
# unit_forget_bias).
_DENSE = ("layers.Dense",)
_DROPOUT = ("layers.Dropout",)
_SPATIALDROPOUT1D = ("layers.SpatialDropout1D",)
_SPATIALDROPOUTND = ("layers.SpatialDropout2D", "layers.SpatialDropout3D")
_EMBEDDING = ("layers.Embedding",)
_POOLING1D = ("layers.MaxPooling1D", "layers.AveragePooling1D", "layers.MaxPool1D", "layers.AvgPool1D")
_POOLING2D = ("layers.MaxPooling2D", "layers.AveragePooling2D", "layers.MaxPool2D", "layers.AvgPool2D")
_POOLING3D = ("layers.MaxPooling3D", "layers.AveragePooling3D", "layers.MaxPool3D", "layers.AvgPool3D")
_GLOBAL_POOLING = ("layers.GlobalAveragePooling2D", "layers.GlobalMaxPooling2D", "layers.GlobalAveragePooling3D", "layers.GlobalMaxPooling3D", "layers.GlobalAvgPool2D", "layers.GlobalMaxPool2D", "layers.GlobalAvgPool3D", "layers.GlobalMaxPool3D")
_UPSAMPLING1D = ("layers.UpSampling1D",)
_UPSAMPLING2D = ("layers.UpSampling2D",)
_UPSAMPLING3D = ("layers.UpSampling3D",)
_ZEROPADDING2D = ("layers.ZeroPadding2D",)
_ZEROPADDING3D = ("layers.ZeroPadding3D",)
_CROPPING2D = ("layers.Cropping2D",)
_CROPPING3D = ("layers.Cropping3D",)
_PRELU = ("layers.PReLU",)
_GAUSSIANNOISE = ("layers.GaussianNoise",)
_GAUSSIANDROPOUT = ("layers.GaussianDropout",)
_CONV1D = ("layers.Conv1D", "layers.Convolution1D", "layers.LocallyConnected1D", "layers.AtrousConvolution1D", "layers.AtrousConv1D")
_CONV2D = ("layers.Conv2D", "layers.Convolution2D", "layers.LocallyConnected2D", "layers.AtrousConvolution2D", "layers.AtrousConv2D")
_SEPARABLE_CONV2D = ("layers.SeparableConv2D", "layers.SeparableConvolution2D")
_DECONV2D = ("layers.Conv2DTranspose", "layers.Convolution2DTranspose", "layers.Deconvolution2D", "layers.Deconv2D")
_CONV3D = ("layers.Conv3D", "layers.Convolution3D")
_CONVLSTM2D = ("layers.ConvLSTM2D",)
_RECURRENT = ("layers.SimpleRNN", "layers.GRU", "layers.LSTM")
_GRU_LSTM = ("layers.GRU", "layers.LSTM")
_BATCHNORM = ("layers.BatchNormalization",)
_MODEL_CONSTRUCTOR = ("Model", "models.Model")
_INPUT = ("layers.InputLayer",)

ARG_RENAMES: tuple[ArgRename, ...]  # built on first use (see the end of the module)


def _arg_renames() -> tuple[ArgRename, ...]:
    return (
        ArgRename(_DENSE, "output_dim", "units", _K2,
                  _SRC + "legacy_dense_support"),
        ArgRename(_DENSE, "init", "kernel_initializer", _K2,
                  _SRC + "legacy_dense_support"),
        ArgRename(_DENSE, "W_regularizer", "kernel_regularizer", _K2,
                  _SRC + "legacy_dense_support"),
        ArgRename(_DENSE, "b_regularizer", "bias_regularizer", _K2,
                  _SRC + "legacy_dense_support"),
        ArgRename(_DENSE, "W_constraint", "kernel_constraint", _K2,
                  _SRC + "legacy_dense_support"),
        ArgRename(_DENSE, "b_constraint", "bias_constraint", _K2,
                  _SRC + "legacy_dense_support"),
        ArgRename(_DENSE, "bias", "use_bias", _K2,
                  _SRC + "legacy_dense_support"),
        ArgRename(_DROPOUT, "p", "rate", _K2,
                  _SRC + "legacy_dropout_support"),
        ArgRename(_SPATIALDROPOUT1D, "p", "rate", _K2,
                  _SRC + "legacy_spatialdropout1d_support"),
        ArgRename(_SPATIALDROPOUTND, "p", "rate", _K2,
                  _SRC + "legacy_spatialdropoutNd_support"),
        ArgRename(_SPATIALDROPOUTND, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_spatialdropoutNd_support", values=_DIM_ORDERING),
        ArgRename(_EMBEDDING, "init", "embeddings_initializer", _K2,
                  _SRC + "legacy_embedding_support"),
        ArgRename(_EMBEDDING, "W_regularizer", "embeddings_regularizer", _K2,
                  _SRC + "legacy_embedding_support"),
        ArgRename(_EMBEDDING, "W_constraint", "embeddings_constraint", _K2,
                  _SRC + "legacy_embedding_support"),
        ArgRename(_POOLING1D, "pool_length", "pool_size", _K2,
                  _SRC + "legacy_pooling1d_support"),
        ArgRename(_POOLING1D, "stride", "strides", _K2,
                  _SRC + "legacy_pooling1d_support"),
        ArgRename(_POOLING1D, "border_mode", "padding", _K2,
                  _SRC + "legacy_pooling1d_support"),
        ArgRename(_POOLING2D, "border_mode", "padding", _K2,
                  _SRC + "legacy_pooling2d_support"),
        ArgRename(_POOLING2D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_pooling2d_support", values=_DIM_ORDERING),
        ArgRename(_POOLING3D, "border_mode", "padding", _K2,
                  _SRC + "legacy_pooling3d_support"),
        ArgRename(_POOLING3D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_pooling3d_support", values=_DIM_ORDERING),
        ArgRename(_GLOBAL_POOLING, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_global_pooling_support", values=_DIM_ORDERING),
        ArgRename(_UPSAMPLING1D, "length", "size", _K2,
                  _SRC + "legacy_upsampling1d_support"),
        ArgRename(_UPSAMPLING2D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_upsampling2d_support", values=_DIM_ORDERING),
        ArgRename(_UPSAMPLING3D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_upsampling3d_support", values=_DIM_ORDERING),
        ArgRename(_ZEROPADDING2D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_zeropadding2d_support", values=_DIM_ORDERING),
        ArgRename(_ZEROPADDING3D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_zeropadding3d_support", values=_DIM_ORDERING),
        ArgRename(_CROPPING2D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_cropping2d_support", values=_DIM_ORDERING),
        ArgRename(_CROPPING3D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_cropping3d_support", values=_DIM_ORDERING),
        ArgRename(_PRELU, "init", "alpha_initializer", _K2,
                  _SRC + "legacy_prelu_support"),
        ArgRename(_GAUSSIANNOISE, "sigma", "stddev", _K2,
                  _SRC + "legacy_gaussiannoise_support"),
        ArgRename(_GAUSSIANDROPOUT, "p", "rate", _K2,
                  _SRC + "legacy_gaussiandropout_support"),
        ArgRename(_CONV1D, "nb_filter", "filters", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV1D, "filter_length", "kernel_size", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV1D, "subsample_length", "strides", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV1D, "border_mode", "padding", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV1D, "init", "kernel_initializer", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV1D, "W_regularizer", "kernel_regularizer", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV1D, "b_regularizer", "bias_regularizer", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV1D, "W_constraint", "kernel_constraint", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV1D, "b_constraint", "bias_constraint", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV1D, "bias", "use_bias", _K2,
                  _SRC + "legacy_conv1d_support"),
        ArgRename(_CONV2D, "nb_filter", "filters", _K2,
                  _SRC + "legacy_conv2d_support"),
        ArgRename(_CONV2D, "subsample", "strides", _K2,
                  _SRC + "legacy_conv2d_support"),
        ArgRename(_CONV2D, "border_mode", "padding", _K2,
                  _SRC + "legacy_conv2d_support"),
        ArgRename(_CONV2D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_conv2d_support", values=_DIM_ORDERING),
        ArgRename(_CONV2D, "init", "kernel_initializer", _K2,
                  _SRC + "legacy_conv2d_support"),
        ArgRename(_CONV2D, "W_regularizer", "kernel_regularizer", _K2,
                  _SRC + "legacy_conv2d_support"),
        ArgRename(_CONV2D, "b_regularizer", "bias_regularizer", _K2,
                  _SRC + "legacy_conv2d_support"),
        ArgRename(_CONV2D, "W_constraint", "kernel_constraint", _K2,
                  _SRC + "legacy_conv2d_support"),
        ArgRename(_CONV2D, "b_constraint", "bias_constraint", _K2,
                  _SRC + "legacy_conv2d_support"),
        ArgRename(_CONV2D, "bias", "use_bias", _K2,
                  _SRC + "legacy_conv2d_support"),
        ArgRename(_SEPARABLE_CONV2D, "nb_filter", "filters", _K2,
                  _SRC + "legacy_separable_conv2d_support"),
        ArgRename(_SEPARABLE_CONV2D, "subsample", "strides", _K2,
                  _SRC + "legacy_separable_conv2d_support"),
        ArgRename(_SEPARABLE_CONV2D, "border_mode", "padding", _K2,
                  _SRC + "legacy_separable_conv2d_support"),
        ArgRename(_SEPARABLE_CONV2D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_separable_conv2d_support", values=_DIM_ORDERING),
        ArgRename(_SEPARABLE_CONV2D, "b_regularizer", "bias_regularizer", _K2,
                  _SRC + "legacy_separable_conv2d_support"),
        ArgRename(_SEPARABLE_CONV2D, "b_constraint", "bias_constraint", _K2,
                  _SRC + "legacy_separable_conv2d_support"),
        ArgRename(_SEPARABLE_CONV2D, "bias", "use_bias", _K2,
                  _SRC + "legacy_separable_conv2d_support"),
        ArgRename(_DECONV2D, "nb_filter", "filters", _K2,
                  _SRC + "legacy_deconv2d_support"),
        ArgRename(_DECONV2D, "subsample", "strides", _K2,
                  _SRC + "legacy_deconv2d_support"),
        ArgRename(_DECONV2D, "border_mode", "padding", _K2,
                  _SRC + "legacy_deconv2d_support"),
        ArgRename(_DECONV2D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_deconv2d_support", values=_DIM_ORDERING),
        ArgRename(_DECONV2D, "init", "kernel_initializer", _K2,
                  _SRC + "legacy_deconv2d_support"),
        ArgRename(_DECONV2D, "W_regularizer", "kernel_regularizer", _K2,
                  _SRC + "legacy_deconv2d_support"),
        ArgRename(_DECONV2D, "b_regularizer", "bias_regularizer", _K2,
                  _SRC + "legacy_deconv2d_support"),
        ArgRename(_DECONV2D, "W_constraint", "kernel_constraint", _K2,
                  _SRC + "legacy_deconv2d_support"),
        ArgRename(_DECONV2D, "b_constraint", "bias_constraint", _K2,
                  _SRC + "legacy_deconv2d_support"),
        ArgRename(_DECONV2D, "bias", "use_bias", _K2,
                  _SRC + "legacy_deconv2d_support"),
        ArgRename(_CONV3D, "nb_filter", "filters", _K2,
                  _SRC + "legacy_conv3d_support"),
        ArgRename(_CONV3D, "subsample", "strides", _K2,
                  _SRC + "legacy_conv3d_support"),
        ArgRename(_CONV3D, "border_mode", "padding", _K2,
                  _SRC + "legacy_conv3d_support"),
        ArgRename(_CONV3D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_conv3d_support", values=_DIM_ORDERING),
        ArgRename(_CONV3D, "init", "kernel_initializer", _K2,
                  _SRC + "legacy_conv3d_support"),
        ArgRename(_CONV3D, "W_regularizer", "kernel_regularizer", _K2,
                  _SRC + "legacy_conv3d_support"),
        ArgRename(_CONV3D, "b_regularizer", "bias_regularizer", _K2,
                  _SRC + "legacy_conv3d_support"),
        ArgRename(_CONV3D, "W_constraint", "kernel_constraint", _K2,
                  _SRC + "legacy_conv3d_support"),
        ArgRename(_CONV3D, "b_constraint", "bias_constraint", _K2,
                  _SRC + "legacy_conv3d_support"),
        ArgRename(_CONV3D, "bias", "use_bias", _K2,
                  _SRC + "legacy_conv3d_support"),
        ArgRename(_CONVLSTM2D, "nb_filter", "filters", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "subsample", "strides", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "border_mode", "padding", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "dim_ordering", "data_format", _K2,
                  _SRC + "legacy_convlstm2d_support", values=_DIM_ORDERING),
        ArgRename(_CONVLSTM2D, "init", "kernel_initializer", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "inner_init", "recurrent_initializer", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "W_regularizer", "kernel_regularizer", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "U_regularizer", "recurrent_regularizer", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "b_regularizer", "bias_regularizer", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "inner_activation", "recurrent_activation", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "dropout_W", "dropout", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "dropout_U", "recurrent_dropout", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_CONVLSTM2D, "bias", "use_bias", _K2,
                  _SRC + "legacy_convlstm2d_support"),
        ArgRename(_RECURRENT, "output_dim", "units", _K2,
                  _SRC + "legacy_recurrent_support"),
        ArgRename(_RECURRENT, "init", "kernel_initializer", _K2,
                  _SRC + "legacy_recurrent_support"),
        ArgRename(_RECURRENT, "inner_init", "recurrent_initializer", _K2,
                  _SRC + "legacy_recurrent_support"),
        ArgRename(_GRU_LSTM, "inner_activation", "recurrent_activation", _K2,
                  _SRC + "legacy_recurrent_support"),
        ArgRename(_RECURRENT, "W_regularizer", "kernel_regularizer", _K2,
                  _SRC + "legacy_recurrent_support"),
        ArgRename(_RECURRENT, "b_regularizer", "bias_regularizer", _K2,
                  _SRC + "legacy_recurrent_support"),
        ArgRename(_RECURRENT, "U_regularizer", "recurrent_regularizer", _K2,
                  _SRC + "legacy_recurrent_support"),
        ArgRename(_RECURRENT, "dropout_W", "dropout", _K2,
                  _SRC + "legacy_recurrent_support"),
        ArgRename(_RECURRENT, "dropout_U", "recurrent_dropout", _K2,
                  _SRC + "legacy_recurrent_support"),
        ArgRename(_GRU_LSTM, "consume_less", "implementation", _K2,
                  _SRC + "legacy_recurrent_support", values=_CONSUME_LESS),
        ArgRename(_BATCHNORM, "beta_init", "beta_initializer", _K2,
                  _SRC + "legacy_batchnorm_support"),
        ArgRename(_BATCHNORM, "gamma_init", "gamma_initializer", _K2,
                  _SRC + "legacy_batchnorm_support"),
        ArgRename(_MODEL_CONSTRUCTOR, "input", "inputs", _K2,
                  _SRC + "legacy_model_constructor_support"),
        ArgRename(_MODEL_CONSTRUCTOR, "output", "outputs", _K2,
                  _SRC + "legacy_model_constructor_support"),
        ArgRename(_INPUT, "input_dtype", "dtype", "Keras 2.0.4",
                  _SRC + "legacy_input_support"),

        # Conversions done by the converters' pre-processors rather than their rename lists.
        ArgRename(_SEPARABLE_CONV2D, "init", "depthwise_initializer", _K2,
                  _SRC + "legacy_separable_conv2d_support separable_conv2d_args_preprocessor",
                  also=("pointwise_initializer",),
                  note="Keras 2 passed the value to both depthwise_initializer and pointwise_initializer"),
        ArgRename(_DECONV2D, "output_shape", None, _K2, _SRC + "legacy_deconv2d_support deconv2d_args_preprocessor",
                  fixable=False, removable="unsafe",
                  note="the output shape is inferred (Keras 2 dropped the argument); for strides > 1 use "
                       "output_padding to pick among the possible output sizes"),
        ArgRename(("layers.LSTM",), "forget_bias_init", "unit_forget_bias", _K2,
                  _SRC + "legacy_recurrent_support recurrent_args_preprocessor", values=_FORGET_BIAS_INIT,
                  note=_FORGET_BIAS_NOTE),
        ArgRename(_CONVLSTM2D, "forget_bias_init", "unit_forget_bias", _K2,
                  _SRC + "legacy_convlstm2d_support convlstm2d_args_preprocessor", values=_FORGET_BIAS_INIT,
                  note=_FORGET_BIAS_NOTE),
        ArgRename(("layers.SimpleRNN",), "consume_less", None, _K2,
                  _SRC + "legacy_recurrent_support; keras 2.2.4 keras/layers/recurrent.py SimpleRNN", fixable=False,
                  removable="safe",
                  note="SimpleRNN has no implementation choice since Keras 2 (Keras 2.2.4 dropped it with a "
                       "warning): remove the argument"),
        ArgRename(_BATCHNORM, "mode", None, _K2, _SRC + "legacy_batchnorm_support batchnorm_args_preprocessor",
                  fixable=False, removable="safe", removable_values=(0,),
                  note="mode=0 is the Keras 2 behaviour (remove the argument); mode=1 (per-sample) and mode=2 "
                       "(batch statistics at test time) have no Keras 2 equivalent"),
        ArgRename(_EMBEDDING, "dropout", None, _K2, _SRC + "legacy_embedding_support embedding_kwargs_preprocessor",
                  fixable=False, removable="unsafe",
                  note="removed; Keras 2 suggests a SpatialDropout1D layer after the Embedding (not identical: "
                       "Keras 1 dropped whole embedding rows)"),
        # Model methods.
        ArgRename((), "samples_per_epoch", "steps_per_epoch", _K2, _SRC + "legacy_generator_methods_support",
                  methods=("fit_generator",), fixable=False, note=_STEPS_NOTE),
        ArgRename((), "nb_epoch", "epochs", _K2, _SRC + "legacy_generator_methods_support",
                  methods=("fit_generator",)),
        ArgRename((), "nb_val_samples", "validation_steps", _K2, _SRC + "legacy_generator_methods_support",
                  methods=("fit_generator",), fixable=False, note=_STEPS_NOTE),
        ArgRename((), "val_samples", "steps", _K2, _SRC + "legacy_generator_methods_support",
                  methods=("evaluate_generator", "predict_generator"), fixable=False, note=_STEPS_NOTE),
        ArgRename((), "nb_worker", "workers", _K2, _SRC + "legacy_generator_methods_support",
                  methods=("fit_generator", "evaluate_generator", "predict_generator")),
        ArgRename((), "pickle_safe", "use_multiprocessing", "Keras 2.0.6", _SRC + "legacy_generator_methods_support",
                  methods=("fit_generator", "evaluate_generator", "predict_generator")),
        ArgRename((), "max_q_size", "max_queue_size", "Keras 2.0.6", _SRC + "legacy_generator_methods_support",
                  methods=("fit_generator", "evaluate_generator", "predict_generator")),
        ArgRename((), "nb_epoch", "epochs", _K2, "keras 2.2.4 keras/engine/training.py Model.fit (kwargs check)",
                  methods=("fit",)),
        # Outside interfaces.py.
        ArgRename(("callbacks.ReduceLROnPlateau",), "epsilon", "min_delta", "Keras 2.1.6",
                  "keras 2.1.5 vs 2.1.6 keras/callbacks.py ReduceLROnPlateau",
                  note="tf.keras still maps epsilon with a warning; Keras 3 silently ignores it"),
        ArgRename(("callbacks.ModelCheckpoint",), "period", "save_freq", "TF 2.6",
                  "keras 2.6.0 keras/callbacks.py ModelCheckpoint (period deprecated)", fixable=False,
                  note="save_freq is 'epoch' or a number of batches: period=1 is save_freq='epoch', period=N "
                       "needs save_freq=N * steps_per_epoch; Keras 3 has no period argument"),
        # keras 2.2.4 keras/callbacks.py TensorBoard(batch_size=, write_grads=, embeddings_layer_names=,
        # embeddings_data=): tf.keras' TensorBoard (TF 2.0 on) only warns that it ignores them, and tests them for
        # truth (tf-keras 2.15 _validate_kwargs: an array for embeddings_data raises ValueError); Keras 3 rejects them.
        *(ArgRename(("callbacks.TensorBoard",), old, None, "TF 2.0",
                    "keras 2.2.4 keras/callbacks.py TensorBoard; tf-keras 2.15 tf_keras/src/callbacks.py "
                    "TensorBoard._validate_kwargs; keras 3.15.1 keras/src/callbacks/tensorboard.py",
                    fixable=False, removable="unsafe", note=note)
          for old, note in (
              ("batch_size", "ignored by tf.keras (TF 2.x) and rejected by Keras 3: remove it"),
              ("write_grads", "ignored by tf.keras (TF 2.x) and rejected by Keras 3: remove it (gradient "
                              "histograms need a custom callback)"),
              ("embeddings_layer_names", "ignored by tf.keras (TF 2.x), which projects every Embedding layer, and "
                                         "rejected by Keras 3: remove it"),
              ("embeddings_data", "ignored by tf.keras (TF 2.x; an array raises ValueError in its check) and "
                                  "rejected by Keras 3: the projector shows Embedding layers' weights only, not "
                                  "the activations of other layers: remove it"),
          )),
        ArgRename(("utils.to_categorical", "utils.np_utils.to_categorical"), "nb_classes", "num_classes", _K2,
                  "keras 1.2.2 vs 2.0.0 keras/utils/np_utils.py to_categorical"),
        # Dataset loaders: Keras 2.x and tf-keras convert nb_words with a warning; Keras 3.15.1's imdb.load_data
        # swallows it in **kwargs (the vocabulary is silently not capped), its reuters.load_data raises TypeError.
        *(ArgRename((f"datasets.{name}.load_data",), "nb_words", "num_words", _K2,
                    f"keras 1.2.2 vs 2.0.0 keras/datasets/{name}.py load_data; tf-keras 2.15 tf_keras/src/datasets/"
                    f"{name}.py (kwargs.pop('nb_words')); keras 3.15.1 keras/src/datasets/{name}.py",
                    note=note)
          for name, note in (("imdb", "Keras 3 ignores nb_words silently: the vocabulary is not capped"),
                             ("reuters", "Keras 3 raises TypeError"))),
        ArgRename(("layers.AtrousConvolution1D", "layers.AtrousConv1D", "layers.AtrousConvolution2D",
                   "layers.AtrousConv2D"), "atrous_rate", "dilation_rate", _K2,
                  "keras 2.2.4 keras/legacy/layers.py AtrousConvolution1D/AtrousConvolution2D", fixable=False,
                  note="only valid together with the class rename to Conv1D/Conv2D: the Keras 2 Atrous factories "
                       "reject an explicit dilation_rate"),
        # Backend functions (K.conv2d(..., border_mode=) ...): Keras 2.0 renamed their Keras 1 keywords without a
        # converter, so the old names raise TypeError in every Keras 2 (multi-backend, tf.keras) and in Keras 3's shim.
        *(ArgRename((f"backend.{fn}",), "border_mode", "padding", _K2, _BACKEND_SRC + fn)
          for fn in ("conv1d", "conv2d", "conv3d", "pool2d", "pool3d", "separable_conv2d")),
        *(ArgRename((f"backend.{fn}",), "dim_ordering", "data_format", _K2, _BACKEND_SRC + fn, values=_DIM_ORDERING)
          for fn in ("conv2d", "conv3d", "pool2d", "pool3d", "separable_conv2d", "resize_images", "resize_volumes",
                     "spatial_2d_padding", "spatial_3d_padding")),
        *(ArgRename((f"backend.{fn}",), old, None, _K2, _BACKEND_SRC + fn, fixable=False,
                    note="a Theano shape hint that Keras 2 dropped: delete it")
          for fn, old in (("conv1d", "image_shape"), ("conv1d", "filter_shape"), ("conv2d", "image_shape"),
                          ("conv2d", "filter_shape"), ("conv3d", "volume_shape"), ("conv3d", "filter_shape"))),
        ArgRename(("backend.conv1d",), "stride", "strides", _K2, _BACKEND_SRC + "conv1d"),
        ArgRename(("backend.conv2d",), "filter_dilation", "dilation_rate", _K2, _BACKEND_SRC + "conv2d"),
        ArgRename(("backend.expand_dims",), "dim", "axis", _K2, _BACKEND_SRC + "expand_dims"),
        ArgRename(("backend.one_hot",), "nb_classes", "num_classes", _K2, _BACKEND_SRC + "one_hot"),
        ArgRename(("backend.random_normal",), "std", "stddev", _K2, _BACKEND_SRC + "random_normal"),
        ArgRename(("backend.random_uniform",), "low", "minval", _K2, _BACKEND_SRC + "random_uniform"),
        ArgRename(("backend.random_uniform",), "high", "maxval", _K2, _BACKEND_SRC + "random_uniform"),
        ArgRename(("layers.Highway",), "transform_bias", None, "Keras 1.2.2",
                  "keras 1.2.2 keras/layers/core.py Highway; keras 2.2.4 keras/legacy/layers.py Highway", fixable=False,
                  note="already ignored with a deprecation warning by Keras 1.2.2 and Keras 2; Highway itself no "
                       "longer exists"),
    )


KERNEL_CONVERSIONS: tuple[KernelConversion, ...] = (
    KernelConversion(
        ("layers.Conv2D", "layers.Convolution2D", "layers.SeparableConv2D", "layers.SeparableConvolution2D",
         "layers.Conv2DTranspose", "layers.Convolution2DTranspose", "layers.Deconvolution2D", "layers.Deconv2D",
         "layers.ConvLSTM2D", "layers.LocallyConnected2D", "layers.AtrousConvolution2D", "layers.AtrousConv2D"),
        2, ("nb_row", "nb_col"), _K2, _SRC + "conv2d_args_preprocessor"),
    KernelConversion(("layers.Conv3D", "layers.Convolution3D"), 3, ("kernel_dim1", "kernel_dim2", "kernel_dim3"),
                     _K2, _SRC + "conv3d_args_preprocessor"),
)

_LEGACY_LAYERS = "keras 2.2.4 keras/legacy/layers.py "
_K1_VS_K2 = "keras 1.2.2 vs 2.0.0 "
_ALIAS_NOTE = ("the alias still exists but no longer converts Keras 1 arguments: Convolution2D(32, 3, 3) now "
               "means kernel_size=3, strides=3")
_CUDNN_NOTE = ("LSTM/GRU use the cuDNN kernel automatically when activation='tanh', "
               "recurrent_activation='sigmoid', recurrent_dropout=0, unroll=False, use_bias=True (GRU: "
               "reset_after=True), inputs are not masked or are right-padded, and the layer runs eagerly on GPU; "
               "these are the tf.keras/Keras 3 defaults")

CLASS_RENAMES: tuple[ClassRename, ...]  # built on first use (see the end of the module)


def _class_renames() -> tuple[ClassRename, ...]:
    return (
        # Lowercase optimizer aliases of multi-backend Keras (keras 1.2.2 and 2.2.4 keras/optimizers.py ``sgd = SGD``
        # ...): the same classes, absent from tf.keras and Keras 3.
        *(ClassRename(f"optimizers.{alias}", f"optimizers.{cls}", _TFK, _TFK,
                      "keras 2.2.4 keras/optimizers.py (aliases); tf-keras 2.15 tf_keras/api/_v2/keras/optimizers",
                      fixable=True, note=f"the alias of {cls} in multi-backend Keras")
          for alias, cls in (("sgd", "SGD"), ("rmsprop", "RMSprop"), ("adagrad", "Adagrad"), ("adadelta", "Adadelta"),
                             ("adam", "Adam"), ("adamax", "Adamax"), ("nadam", "Nadam"))),
        # Convolution aliases: renamed in Keras 2, aliases kept without the argument converter.
        ClassRename("layers.Convolution1D", "layers.Conv1D", _K2, "", _K1_VS_K2 + "keras/layers/convolutional.py",
                    fixable=True, note=_ALIAS_NOTE),
        ClassRename("layers.Convolution2D", "layers.Conv2D", _K2, "", _K1_VS_K2 + "keras/layers/convolutional.py",
                    fixable=True, note=_ALIAS_NOTE),
        ClassRename("layers.Convolution3D", "layers.Conv3D", _K2, "", _K1_VS_K2 + "keras/layers/convolutional.py",
                    fixable=True, note=_ALIAS_NOTE),
        ClassRename("layers.SeparableConvolution2D", "layers.SeparableConv2D", _K2, "",
                    _K1_VS_K2 + "keras/layers/convolutional.py", fixable=True, note=_ALIAS_NOTE),
        ClassRename("layers.Deconvolution2D", "layers.Conv2DTranspose", _K2, _TFK,
                    "keras 2.2.4 keras/layers/convolutional.py (Deconvolution2D = Deconv2D = Conv2DTranspose)",
                    fixable=True),
        ClassRename("layers.Deconv2D", "layers.Conv2DTranspose", _K2, _TFK,
                    "keras 2.2.4 keras/layers/convolutional.py (Deconvolution2D = Deconv2D = Conv2DTranspose)",
                    fixable=True),
        ClassRename("layers.Deconvolution3D", "layers.Conv3DTranspose", "Keras 2.0.6", _TFK,
                    "keras 2.2.4 keras/layers/convolutional.py (Deconvolution3D = Deconv3D = Conv3DTranspose)",
                    fixable=True),
        ClassRename("layers.Deconv3D", "layers.Conv3DTranspose", "Keras 2.0.6", _TFK,
                    "keras 2.2.4 keras/layers/convolutional.py (Deconvolution3D = Deconv3D = Conv3DTranspose)",
                    fixable=True),
        ClassRename("layers.AtrousConvolution1D", "layers.Conv1D", _K2, _TFK,
                    _LEGACY_LAYERS + "AtrousConvolution1D", note="use Conv1D(..., dilation_rate=atrous_rate)"),
        ClassRename("layers.AtrousConv1D", "layers.Conv1D", _K2, _TFK,
                    _LEGACY_LAYERS + "AtrousConvolution1D", note="use Conv1D(..., dilation_rate=atrous_rate)"),
        ClassRename("layers.AtrousConvolution2D", "layers.Conv2D", _K2, _TFK,
                    _LEGACY_LAYERS + "AtrousConvolution2D", note="use Conv2D(..., dilation_rate=atrous_rate)"),
        ClassRename("layers.AtrousConv2D", "layers.Conv2D", _K2, _TFK,
                    _LEGACY_LAYERS + "AtrousConvolution2D", note="use Conv2D(..., dilation_rate=atrous_rate)"),
        # Merge: one layer per mode (MERGE_MODES).
        ClassRename("layers.Merge", None, _K2, "Keras 2.2.0", "keras 2.1.6 vs 2.2.0 keras/legacy/layers.py Merge",
                    note="use the layer for the mode (Add, Multiply, Average, Maximum, Concatenate, Dot); a callable "
                         "mode needs a Lambda layer"),
        ClassRename("layers.merge", None, _K2, "Keras 2.2.0", "keras 2.1.6 vs 2.2.0 keras/legacy/layers.py merge",
                    note="use the function for the mode (add, multiply, average, maximum, concatenate, dot); a "
                         "callable mode needs a Lambda layer"),
        # Layers removed in Keras 2 or only kept deprecated in multi-backend Keras 2.
        ClassRename("layers.TimeDistributedDense", "layers.TimeDistributed", _K2, _K2,
                    _K1_VS_K2 + "keras/layers/core.py TimeDistributedDense",
                    note="write TimeDistributed(Dense(...)) (Dense also applies to the last axis of a 3D input)"),
        ClassRename("layers.MaxoutDense", None, _K2, _TFK, _LEGACY_LAYERS + "MaxoutDense (deprecated)",
                    note="no replacement: Dense(units * nb_feature) + Reshape + max over the feature axis"),
        ClassRename("layers.Highway", None, _K2, _TFK, _LEGACY_LAYERS + "Highway (deprecated)",
                    note="no replacement: write the gate with two Dense layers"),
        ClassRename("layers.Recurrent", "layers.RNN", "Keras 2.0.9", _TFK,
                    "keras 2.0.8 vs 2.0.9 keras/layers/recurrent.py (RNN added, Recurrent moved to keras/legacy/layers.py)",
                    note="subclass a cell and wrap it in RNN instead of subclassing Recurrent"),
        ClassRename("layers.ConvRecurrent2D", None, "Keras 2.1.5", _TFK,
                    "keras 2.1.4 keras/layers/convolutional_recurrent.py vs 2.1.5 keras/legacy/layers.py ConvRecurrent2D",
                    note="abstract base class removed; use ConvLSTM2D or a custom cell"),
        ClassRename("layers.ParametricSoftplus", None, _K2, _K2,
                    _K1_VS_K2 + "keras/layers/advanced_activations.py ParametricSoftplus",
                    note="removed without replacement; write a small custom layer"),
        ClassRename("layers.SReLU", None, _K2, _K2, _K1_VS_K2 + "keras/layers/advanced_activations.py SReLU",
                    note="removed without replacement; write a small custom layer"),
        ClassRename("layers.CuDNNLSTM", "layers.LSTM", _TFK, _TFK,
                    "keras 2.2.4 keras/layers/cudnn_recurrent.py; keras 2.4.3 keras/layers/cudnn_recurrent.py "
                    "(alias of LSTM); tf-keras 2.15 api/_v1 vs _v2 layers", fixable=True, note=_CUDNN_NOTE),
        ClassRename("layers.CuDNNGRU", "layers.GRU", _TFK, _TFK,
                    "keras 2.2.4 keras/layers/cudnn_recurrent.py; keras 2.4.3 keras/layers/cudnn_recurrent.py "
                    "(alias of GRU); tf-keras 2.15 api/_v1 vs _v2 layers", fixable=True, note=_CUDNN_NOTE),
        # Utilities.
        ClassRename("utils.visualize_util.plot", "utils.plot_model", _K2, _K2,
                    "keras 1.2.2 keras/utils/visualize_util.py plot vs 2.0.0 keras/utils/vis_utils.py plot_model",
                    note="plot_model's 4th positional parameter is no longer show_layer_names: pass it by keyword"),
        # Regularizers (Keras 1 names, no aliases in Keras 2).
        ClassRename("regularizers.l1l2", "regularizers.l1_l2", _K2, _K2, _K1_VS_K2 + "keras/regularizers.py",
                    fixable=True),
        ClassRename("regularizers.activity_l1", "regularizers.l1", _K2, _K2, _K1_VS_K2 + "keras/regularizers.py",
                    fixable=True, note="Keras 3 L1 no longer accepts l=: pass the factor positionally"),
        ClassRename("regularizers.activity_l2", "regularizers.l2", _K2, _K2, _K1_VS_K2 + "keras/regularizers.py",
                    fixable=True, note="Keras 3 L2 no longer accepts l=: pass the factor positionally"),
        ClassRename("regularizers.activity_l1l2", "regularizers.l1_l2", _K2, _K2,
                    _K1_VS_K2 + "keras/regularizers.py", fixable=True),
        ClassRename("regularizers.WeightRegularizer", "regularizers.L1L2", _K2, _K2,
                    _K1_VS_K2 + "keras/regularizers.py (WeightRegularizer = L1L2Regularizer)", fixable=True),
        ClassRename("regularizers.ActivityRegularizer", "regularizers.L1L2", _K2, _K2,
                    _K1_VS_K2 + "keras/regularizers.py (ActivityRegularizer = L1L2Regularizer)", fixable=True),
        ClassRename("regularizers.L1L2Regularizer", "regularizers.L1L2", _K2, _K2,
                    _K1_VS_K2 + "keras/regularizers.py", fixable=True),
        ClassRename("regularizers.EigenvalueRegularizer", None, _K2, _K2, _K1_VS_K2 + "keras/regularizers.py",
                    note="removed without replacement"),
        # Constraints: Keras 2 names, Keras 1 aliases kept by multi-backend Keras only.
        ClassRename("constraints.maxnorm", "constraints.max_norm", _K2, _TFK,
                    "keras 2.2.4 keras/constraints.py (legacy aliases); tf-keras 2.15 api constraints", fixable=True),
        ClassRename("constraints.nonneg", "constraints.non_neg", _K2, _TFK,
                    "keras 2.2.4 keras/constraints.py (legacy aliases); tf-keras 2.15 api constraints", fixable=True),
        ClassRename("constraints.unitnorm", "constraints.unit_norm", _K2, _TFK,
                    "keras 2.2.4 keras/constraints.py (legacy aliases); tf-keras 2.15 api constraints", fixable=True),
        # Batch-wise metrics removed in Keras 2.
        ClassRename("metrics.precision", "metrics.Precision", _K2, _K2, _K1_VS_K2 + "keras/metrics.py",
                    note="the Keras 1 metric was computed per batch; metrics.Precision() is a stateful metric "
                         "over the whole epoch"),
        ClassRename("metrics.recall", "metrics.Recall", _K2, _K2, _K1_VS_K2 + "keras/metrics.py",
                    note="the Keras 1 metric was computed per batch; metrics.Recall() is a stateful metric "
                         "over the whole epoch"),
        ClassRename("metrics.fbeta_score", "metrics.FBetaScore", _K2, _K2, _K1_VS_K2 + "keras/metrics.py",
                    note="batch-wise metric removed; metrics.FBetaScore (tf-keras 2.15, Keras 3) is stateful and "
                         "expects one-hot/binary targets"),
        ClassRename("metrics.fmeasure", "metrics.F1Score", _K2, _K2, _K1_VS_K2 + "keras/metrics.py",
                    note="batch-wise metric removed; metrics.F1Score (tf-keras 2.15, Keras 3) is stateful"),
        ClassRename("metrics.fscore", "metrics.F1Score", _K2, _K2, _K1_VS_K2 + "keras/metrics.py (fscore = fmeasure)",
                    note="batch-wise metric removed; metrics.F1Score (tf-keras 2.15, Keras 3) is stateful"),
        ClassRename("metrics.f1score", "metrics.F1Score", _K2, _K2,
                    _K1_VS_K2 + "keras/metrics.py (f1score = fmeasure)",
                    note="batch-wise metric removed; metrics.F1Score (tf-keras 2.15, Keras 3) is stateful"),
        ClassRename("metrics.matthews_correlation", None, _K2, _K2, _K1_VS_K2 + "keras/metrics.py",
                    note="removed without replacement; compute it from confusion-matrix metrics"),
    )


MERGE_MODES: tuple[MergeMode, ...] = (
    MergeMode("sum", "layers.Add", "layers.add"),
    MergeMode("mul", "layers.Multiply", "layers.multiply"),
    MergeMode("ave", "layers.Average", "layers.average"),
    MergeMode("max", "layers.Maximum", "layers.maximum"),
    MergeMode("concat", "layers.Concatenate", "layers.concatenate", (("concat_axis", "axis"),)),
    MergeMode("dot", "layers.Dot", "layers.dot", (("dot_axes", "axes"),),
              note="Dot requires axes: the Keras 1 default was dot_axes=-1"),
    MergeMode("cos", "layers.Dot", "layers.dot", (("dot_axes", "axes"),),
              note="use normalize=True (and axes; Keras 1 default -1); not identical: Keras 1 clamped the "
                   "denominator with epsilon and added an axis of size 1 to the output"),
)

_GEN_SRC = ("tf-keras 2.15 tf_keras/src/engine/training.py Model.{} (deprecated since TF 2.1); "
            "keras 3.15.1 keras/src/trainers/trainer.py (absent)")

REMOVED_METHODS: tuple[RemovedMethod, ...] = (
    RemovedMethod("fit_generator", "fit", "Keras 3.0.0", _GEN_SRC.format("fit_generator"),
                  "model.fit(generator, steps_per_epoch=..., epochs=...): fit accepts generators and "
                  "Sequences since TF 2.1; in Keras 3 workers/use_multiprocessing/max_queue_size belong to a "
                  "keras.utils.PyDataset", fixable=True),
    RemovedMethod("evaluate_generator", "evaluate", "Keras 3.0.0", _GEN_SRC.format("evaluate_generator"),
                  "model.evaluate(generator, steps=...)", fixable=True),
    RemovedMethod("predict_generator", "predict", "Keras 3.0.0", _GEN_SRC.format("predict_generator"),
                  "model.predict(generator, steps=...)", fixable=True),
    RemovedMethod("predict_classes", None, "TF 2.6",
                  "keras 2.2.4 keras/engine/sequential.py Sequential.predict_classes; absent from keras 2.6.0",
                  "np.argmax(model.predict(x), axis=-1) for a softmax output, "
                  '(model.predict(x) > 0.5).astype("int32") for a single sigmoid unit'),
    RemovedMethod("predict_proba", "predict", "TF 2.6",
                  "keras 2.2.4 keras/engine/sequential.py Sequential.predict_proba; absent from keras 2.6.0",
                  "model.predict(x) (predict_proba only added a range check)", fixable=True,
                  shared_with=("sklearn", "xgboost", "lightgbm", "catboost", "imblearn", "scikeras", "skorch")),
)

_OPT_SRC = "keras 1.2.2 and 2.2.4 keras/optimizers.py {0}.__init__; tf-keras 2.15 tf_keras/src/optimizers/{1}.py; " \
           "keras 3.15.1 keras/src/optimizers/{1}.py"

#: Positional parameters of the multi-backend optimizers and how many keep their meaning in tf.keras and Keras 3
#: (``SGD(0.01, 0.9, 1e-6, True)``: decay and nesterov became nesterov and weight_decay, silently).
LEGACY_OPTIMIZERS: tuple[LegacyOptimizer, ...] = (
    LegacyOptimizer("optimizers.SGD", ("lr", "momentum", "decay", "nesterov"), 2, "0.01", _OPT_SRC.format("SGD", "sgd")),
    LegacyOptimizer("optimizers.RMSprop", ("lr", "rho", "epsilon", "decay"), 2, "0.001",
                    _OPT_SRC.format("RMSprop", "rmsprop")),
    LegacyOptimizer("optimizers.Adagrad", ("lr", "epsilon", "decay"), 1, "0.01",
                    _OPT_SRC.format("Adagrad", "adagrad")),
    LegacyOptimizer("optimizers.Adadelta", ("lr", "rho", "epsilon", "decay"), 3, "1.0",
                    _OPT_SRC.format("Adadelta", "adadelta")),
    LegacyOptimizer("optimizers.Adam", ("lr", "beta_1", "beta_2", "epsilon", "decay", "amsgrad"), 4, "0.001",
                    _OPT_SRC.format("Adam", "adam")),
    LegacyOptimizer("optimizers.Adamax", ("lr", "beta_1", "beta_2", "epsilon", "decay"), 4, "0.002",
                    _OPT_SRC.format("Adamax", "adamax")),
    LegacyOptimizer("optimizers.Nadam", ("lr", "beta_1", "beta_2", "epsilon", "schedule_decay"), 4, "0.002",
                    _OPT_SRC.format("Nadam", "nadam")),
)

#: Lower-case aliases of multi-backend Keras (keras 1.2.2 / 2.2.4 keras/optimizers.py ``sgd = SGD`` ...).
LEGACY_OPTIMIZER_ALIASES: dict[str, str] = {
    "optimizers.sgd": "optimizers.SGD", "optimizers.rmsprop": "optimizers.RMSprop",
    "optimizers.adagrad": "optimizers.Adagrad", "optimizers.adadelta": "optimizers.Adadelta",
    "optimizers.adam": "optimizers.Adam", "optimizers.adamax": "optimizers.Adamax",
    "optimizers.nadam": "optimizers.Nadam",
}

OPTIMIZER_ARGS: tuple[OptimizerArg, ...] = (
    OptimizerArg("lr", "learning_rate", "Keras 2.3.0 / TF 2.11 ignores lr",
                 "keras 2.3.0 keras/optimizers.py (kwargs.pop('lr')); tf-keras 2.15 "
                 "tf_keras/src/optimizers/optimizer.py _process_kwargs", True,
                 note="tf.keras >= 2.11 only logs lr and keeps the default learning rate; Keras 3 raises"),
    OptimizerArg("decay", None, "TF 2.11",
                 "tf-keras 2.15 tf_keras/src/optimizers/optimizer.py _process_kwargs; "
                 "tf_keras/src/optimizers/legacy/optimizer_v2.py _decayed_lr", False,
                 note="use a schedule: learning_rate=optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, "
                      "decay_rate=decay) reproduces lr / (1 + decay * iterations); TF 2.11+ raises, Keras 3 "
                      "ignores decay with a warning"),
    # keras 1.2.2 / 2.2.4 keras/optimizers.py: lr * (1. / (1. + decay * iterations)), iterations = updates done
    # before this one; tf-keras 2.15 tf_keras/src/optimizers/schedules/learning_rate_schedule.py InverseTimeDecay:
    # initial_learning_rate / (1 + decay_rate * step / decay_steps), step = optimizer.iterations read before the
    # update (tf_keras/src/optimizers/optimizer.py; keras 3.15.1 keras/src/optimizers/base_optimizer.py).
)

OPTIMIZERS: tuple[str, ...] = (
    # Keras 2 / tf.keras / Keras 3 classes.
    "optimizers.SGD", "optimizers.RMSprop", "optimizers.Adagrad", "optimizers.Adadelta", "optimizers.Adam",
    "optimizers.Adamax", "optimizers.Nadam", "optimizers.Ftrl", "optimizers.AdamW", "optimizers.Adafactor",
    "optimizers.Lion",
    # Lower-case aliases of Keras 1.2.2 and multi-backend Keras 2 (keras/optimizers.py).
    "optimizers.sgd", "optimizers.rmsprop", "optimizers.adagrad", "optimizers.adadelta", "optimizers.adam",
    "optimizers.adamax", "optimizers.nadam",
    # TF 2.11-2.15 legacy optimizers.
    "optimizers.legacy.SGD", "optimizers.legacy.RMSprop", "optimizers.legacy.Adagrad",
    "optimizers.legacy.Adadelta", "optimizers.legacy.Adam", "optimizers.legacy.Adamax",
    "optimizers.legacy.Nadam", "optimizers.legacy.Ftrl",
    # Experimental namespace of the new optimizers (tf-keras 2.15 api optimizers/experimental).
    "optimizers.experimental.SGD", "optimizers.experimental.RMSprop", "optimizers.experimental.Adagrad",
    "optimizers.experimental.Adadelta", "optimizers.experimental.Adam", "optimizers.experimental.Adamax",
    "optimizers.experimental.Nadam", "optimizers.experimental.Ftrl", "optimizers.experimental.AdamW",
    "optimizers.experimental.Adafactor",
)


#: ``input_dim`` (+ ``input_length``) -> ``input_shape=(input_length, input_dim)``: keras 2.2.4
#: keras/legacy/interfaces.py conv1d_args_preprocessor and recurrent_args_preprocessor. tf-keras 2.15's RNN base
#: class still folds them (tf_keras/src/layers/rnn/base_rnn.py ``RNN.__init__``); its Conv1D and Keras 3 do not:
#: the base ``Layer`` turns ``input_dim`` into a one-dimensional ``input_shape`` and rejects ``input_length``
#: (keras 3.15.1 keras/src/layers/layer.py ``Layer.__init__``).
SHAPE_CONVERSIONS: tuple[ShapeConversion, ...] = (
    ShapeConversion(("layers.Conv1D", "layers.Convolution1D", "layers.LocallyConnected1D"), ("tf-keras", "keras3"),
                    _K2, _SRC + "legacy_conv1d_support conv1d_args_preprocessor"),
    ShapeConversion(("layers.SimpleRNN", "layers.GRU", "layers.LSTM"), ("keras3",), _K2,
                    _SRC + "legacy_recurrent_support recurrent_args_preprocessor"),
)


# The two large tables (161 and 49 records) are built when first read: the rules look their keys up in the
# generated keras_compat/data/_legacy_keys.py first (keras_compat.knowledge), so that a file that uses none of
# their names, most files, never builds them (2.4 M instructions at every start of flake8 on a Keras file).
__getattr__ = built_on_first_use(globals(), ARG_RENAMES=_arg_renames, CLASS_RENAMES=_class_renames)
