# apt_install PACKAGE...: installs Debian packages, waiting for another apt run (the image's own updates, a second
# script) to finish instead of failing. `apt-get install` waits on the dpkg lock by itself (DPkg::Lock::Timeout);
# `apt-get update` ignores that setting for the package lists' lock, so it is retried while that lock is held.
apt_lock_wait_seconds=${FV_APT_LOCK_WAIT:-600}

apt_install() {
  local sudo="" deadline=$((SECONDS + apt_lock_wait_seconds)) output
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  until output=$($sudo apt-get -o DPkg::Lock::Timeout="$apt_lock_wait_seconds" update -qq 2>&1); do
    if ! grep -q "Could not get lock" <<<"$output" || [ "$SECONDS" -ge "$deadline" ]; then
      echo "$output" >&2
      return 1
    fi
    echo "apt-get update: another apt run holds the package lists; waiting" >&2
    sleep 3
  done
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout="$apt_lock_wait_seconds" install -y -qq "$@" >/dev/null
}
