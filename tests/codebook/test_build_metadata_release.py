"""A version with build metadata (`1.0.1+build.5`) used to be frozen as `<name>-1.0.1-build.5.yaml`, since the
file name was made a slug; the versions read back from the folder then listed a phantom pre-release
`1.0.1-build.5` (a version nobody released, that `codebook diff` resolved). A semver version is now kept as it is
in the file name ('+' is a plain file-name character), so the folder lists the version released and nothing else."""

from __future__ import annotations

import pytest

from thematic.codebook import release_codebook, resolve_codebook
from thematic.codebook.release import frozen_path, released_versions
from thematic.errors import CodebookError


def test_build_metadata_is_kept_in_the_frozen_file_name(study, make_yaml) -> None:
    path = study.codebook_path
    path.write_text(make_yaml("1.0.1+build.5"), encoding="utf-8")
    release = release_codebook(path, study.store, None)
    assert release.frozen.name == "mini-1.0.1+build.5.yaml" == frozen_path(path, "mini", "1.0.1+build.5").name
    assert released_versions(path, "mini") == ["1.0.1+build.5"]
    assert released_versions(path, "mini", study.store) == ["1.0.1+build.5"]
    assert resolve_codebook("1.0.1+build.5", path, study.store).version == "1.0.1+build.5"
    with pytest.raises(CodebookError, match="E201"):
        resolve_codebook("1.0.1-build.5", path, study.store)
