"""Refresh the shipped checkpoints in data/, on purpose: the classifier of notebook 04 and the
decoder of notebook 08, trained exactly as those notebooks train them (seed 0).

    python scripts/refresh_checkpoints.py              # make checkpoints: rewrites data/
    python scripts/refresh_checkpoints.py --out DIR    # writes DIR instead, e.g. to compare

The notebooks never write data/: they train into notebooks/work/ and say whether what they
trained is byte-identical to the shipped files, which notebooks 05-09, the CLI and the API load.
A learner who changes a setting in notebook 04 therefore changes nothing downstream.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import helpers


def classifier(out: Path, device: str) -> Path:
    """Notebook 04's loop on notebook 10's data: the training pairs and the tagged pairs
    (seed 0), so the model has both heads; TrainConfig(seed=0); calibrate the threshold on the
    dev half of the real phrasings, score the held-out prompts, save weights and sidecar (with
    the held-out figures and a fingerprint of the training pairs)."""
    pairs = helpers.training_pairs(seed=0) + helpers.tagged_pairs(seed=0)
    result = helpers.train_schema_predictor(pairs, helpers.TrainConfig(seed=0), device=device)
    result.threshold, _ = helpers.calibrate_threshold(helpers.load_real_prompts("dev"), result)
    report = helpers.heldout_report(lambda prompt: helpers.predict_columns(prompt, model=result))
    metrics = {"heldout_macro_f1": round(report["macro_f1"], 4),
               "heldout_refused": report["rejected"], "heldout_non_dataset": report["non_dataset"]}
    # which pairs, and their fingerprint: tests/test_checkpoint.py checks that the generators
    # still give exactly these, so `make checkpoints` still reproduces the shipped weights
    data = {"pairs": "helpers.training_pairs(seed=0) + helpers.tagged_pairs(seed=0)",
            "sha1": helpers.pairs_digest(pairs)}
    weights, _ = helpers.save_checkpoint(result, out / "schema_predictor.safetensors",
                                         metrics=metrics, training_data=data)
    return weights


def decoder(out: Path, device: str) -> Path:
    """Notebook 08, section 5: DecoderTrainConfig(seed=0), 20 epochs, saved without the
    optimiser state."""
    trainer = helpers.DecoderTrainer.create(helpers.load_decoder_pairs(),
                                            helpers.DecoderTrainConfig(seed=0), device=device)
    trainer.fit()
    weights, _ = trainer.save(out / "schema_decoder.safetensors", resumable=False)
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=helpers.data_dir(),
                        help="folder to write (default: data/, the shipped checkpoints)")
    parser.add_argument("--device", default="cpu", help="cpu (default: what was shipped) or cuda")
    parser.add_argument("--only", choices=("classifier", "decoder"), help="refresh just one")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, train in (("classifier", classifier), ("decoder", decoder)):
        if args.only in (None, name):
            print(f"wrote {train(args.out, args.device)}")


if __name__ == "__main__":
    main()
