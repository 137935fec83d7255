from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class CoreConfig(AppConfig):
    name = "gorod.core"
    label = "core"


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic leaves out the npm packages' files no page loads (other builds of the same library,
    type declarations, CommonJS): model-viewer's dist alone is 38 MB of variants of the one file we serve,
    and hashing and compressing them made collectstatic take minutes."""

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "*.d.ts",
        "*.d.mts",
        "*.cjs",
        "*.cjs.map",
        "model-viewer-umd*",
        "model-viewer-module*",
        "model-viewer.js",
        "model-viewer.js.map",
        "three.core.js",
        "three.module.js",
        "three.tsl*",
        "three.webgpu*",
    ]
