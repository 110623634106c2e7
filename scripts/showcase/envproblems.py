"""Environment failures (permissions, disk full, another filesystem…) told in Chinese.

These are not content problems: the editor cannot fix them in a YAML file, so the command
line prints one line naming the path and what to do, and exits 2 instead of a traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path

_ADVICE = {
    errno.EACCES: "没有读写权限：检查这个文件夹的属主和权限，或换有权限的用户运行",
    errno.EPERM: "操作不被允许（权限或不可更改属性）：检查这个文件夹的权限（chattr、属主）",
    errno.EROFS: "所在的磁盘是只读挂载的：改成可写挂载，或把仓库放到可写的位置",
    errno.ENOSPC: "磁盘空间不足：清理磁盘（例如删除 build/ 文件夹）后重新运行",
    errno.EDQUOT: "磁盘配额已用完：清理空间或请管理员提高配额后重新运行",
    errno.EXDEV: "两处不在同一个文件系统上，无法一步替换：让它们在同一个磁盘分区上",
    errno.ENOENT: "不存在（可能在运行中被删除或移走）：确认文件夹还在后重新运行",
    errno.ENOTDIR: "不是文件夹：把它移走或改名后重新运行",
    errno.EISDIR: "是文件夹，这里需要一个文件：把它移走或改名后重新运行",
    errno.EBUSY: "正被占用（可能是挂载点）：不要把它单独挂载，卸载后重新运行",
    errno.ENOTEMPTY: "文件夹不是空的：把它移走后重新运行",
    errno.EMFILE: "打开的文件太多：提高 ulimit -n 后重新运行",
    errno.EIO: "读写出错（磁盘可能有故障）：检查磁盘后重新运行",
}


def _shown(path: str | bytes | None, root: Path | None) -> str:
    if path is None:
        return ""
    p = Path(path.decode("utf-8", "replace") if isinstance(path, bytes) else path)
    if root is not None:
        try:
            return p.relative_to(root).as_posix() or "."
        except ValueError:
            pass
    return str(p)


def describe(err: OSError, root: Path | None = None) -> str:
    """One Chinese line: which path, what went wrong, what to do."""
    where = _shown(err.filename, root)
    other = _shown(err.filename2, root)
    if where and other:
        where = f"{where} → {other}"
    advice = _ADVICE.get(err.errno or 0)
    if advice is None:
        advice = f"系统错误：{err.strerror or err}"
    subject = f"{where}：" if where else ""
    return f"无法完成：{subject}{advice}。已发布的 site/ 保持不变。"
