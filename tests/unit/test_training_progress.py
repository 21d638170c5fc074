"""Reading `rasa train`'s output into a stage, epochs and an estimate (lines as Rasa 3.6
prints them)."""

from __future__ import annotations

from studio.training_progress import TrainingProgress

HOOKS = "2026-12-04 20:27:38 INFO     rasa.engine.training.hooks  - "


def test_the_estimate_follows_the_components_and_their_epochs() -> None:
    progress = TrainingProgress()
    assert progress.as_json()["stage"] == "preparing" and progress.fraction == 0
    progress.feed(HOOKS + "Starting to train component 'CountVectorsFeaturizer'.")
    progress.feed(HOOKS + "Finished training component 'CountVectorsFeaturizer'.")
    assert 0 < progress.fraction <= 0.10
    progress.feed(HOOKS + "Starting to train component 'DIETClassifier'.")
    # One output line holds several redraws of the bar: the last one counts.
    progress.feed(
        "Epochs:  42%|████▎     | 17/40 [01:52<02:05,  5.45s/it, t_loss=2.67]"
        "Epochs:  45%|████▌     | 18/40 [01:56<01:52,  5.12s/it, t_loss=2.63, i_acc=0.996]"
    )
    assert (progress.stage, progress.epoch, progress.epochs) == ("DIETClassifier", 18, 40)
    assert round(progress.fraction, 2) == 0.37  # 10% + 60% x 18/40
    assert "DIETClassifier, epoch 18 of 40 · about 37%" in progress.describe()
    progress.feed(HOOKS + "Finished training component 'DIETClassifier'.")
    progress.feed(HOOKS + "Starting to train component 'TEDPolicy'.")
    progress.feed("Epochs: 100%|██████████| 30/30 [00:17<00:00,  1.70it/s, t_loss=4.45]")
    assert round(progress.fraction, 2) == 0.95
    progress.feed("Your Rasa model is trained and saved at '/tmp/models/parley-x.tar.gz'.")
    assert progress.as_json()["percent"] == 100


def test_a_component_trained_again_never_moves_the_estimate_back() -> None:
    progress = TrainingProgress()
    progress.feed(HOOKS + "Starting to train component 'DIETClassifier'.")
    progress.feed("Epochs: 50%|█████     | 20/40 [00:50<00:50]")
    before = progress.fraction
    progress.feed(HOOKS + "Starting to train component 'SpacyEntityExtractor'.")
    assert progress.fraction == before
