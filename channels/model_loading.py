"""Loading a trained model's TensorFlow parts without a training step.

Rasa 3.6 loads DIET and TED (`RasaModel.load`) by compiling the model and fitting it on
one example, only to create its variables, then overwrites every variable from the
checkpoint. Fitting traces Keras's whole training graph: about 25 of the 35 seconds a
Rasa server takes to load Parley's model on 2 cores, paid by every start, every replica
and every published model. One eager pass of the loss creates the same variables; the
checkpoint then restores the same weights, so predictions are identical
(tests/channels/test_model_loading.py compares both ways on one model). The checkpoint's
optimizer state is left unread: serving never trains. Fine-tuning keeps Rasa's own path.
"""

from __future__ import annotations

from typing import Any

_installed = False


def install() -> None:
    """Make `RasaModel.load` build variables eagerly in this process (idempotent)."""
    global _installed
    if _installed:
        return
    from rasa.utils.tensorflow.models import RasaModel

    rasa_load = RasaModel.load.__func__

    def load(
        cls: type[RasaModel],
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode:
            return rasa_load(
                cls,
                model_file_name,
                model_data_example,
                predict_data_example,
                True,
                *args,
                **kwargs,
            )
        model = cls(*args, **kwargs)
        build_variables(model, model_data_example)
        model.load_weights(model_file_name).expect_partial()
        if predict_data_example:
            # Traces the prediction graph now rather than on the first message.
            model.run_inference(predict_data_example)
        return model

    RasaModel.load = classmethod(load)
    _installed = True


def build_variables(model: Any, model_data_example: Any) -> None:
    """Create every variable a training step would, by computing the loss once."""
    import tensorflow as tf
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    batch, _ = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
    model._training = True  # the loss builds the label layers prediction never uses
    try:
        model.batch_loss(tuple(tf.convert_to_tensor(part) for part in batch))
    finally:
        model._training = False
