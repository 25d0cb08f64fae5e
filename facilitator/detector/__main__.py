"""Developer tools for the risk detector.

python -m facilitator.detector evaluate [--set PATH ...] [--rules FILE] [--misses]
    the figures on labelled sets (default: the development set and the project's own)
python -m facilitator.detector train [--check] [--folds N] [--curriculum [FOLDER]]
    retrain the learned layer from corpus/ into model.json (needs numpy: a dev dependency)
python -m facilitator.detector stems [--check]
    rewrite (or check) the stems table shipped next to rules.toml; run after editing rules.toml
"""

import sys


def main() -> None:
    command, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "evaluate":
        from facilitator.detector.evaluation import main as evaluate

        evaluate(args)
    elif command == "train":
        from facilitator.detector.train import main as train

        train(args)
    elif command == "stems":
        from facilitator.detector.stems import main as stems

        stems(args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
