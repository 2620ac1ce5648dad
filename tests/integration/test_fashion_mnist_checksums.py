"""The checksums the downloader trusts are those of the real Fashion-MNIST (as Debian ships it)."""

import pytest

from npkeras.datasets import download, fashion_mnist


@pytest.mark.parametrize("name", fashion_mnist.FILES)
def test_download_checksums_match_the_installed_files(name, fmnist_dir):
    assert download.content_sha256(fmnist_dir / (name + ".gz")) == fashion_mnist.CONTENT_SHA256[name]
