/**
 * Where "Save Mask" writes, asked of the user when the file is already there: an existing mask
 * is never overwritten without asking (overwrite / save as / cancel).
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { fileExists } from './file-io.js';

/**
 * The path to save the mask at: `path` when it is free, or what the user chose when it exists
 * (the same path to overwrite, another name to save as); null when the user cancelled.
 */
export async function chooseMaskSavePath(
  contents: Contents.IManager,
  path: string,
  trans: TranslationBundle
): Promise<string | null> {
  let target = path;
  for (;;) {
    if (!(await fileExists(contents, target))) {
      return target;
    }
    const overwrite = trans.__('Overwrite');
    const saveAs = trans.__('Save As…');
    const choice = await showDialog({
      title: trans.__('The mask file exists'),
      body: trans.__('%1 already exists. Overwrite it, save the mask under another name, or cancel?', target),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: saveAs, ariaLabel: saveAs }),
        Dialog.warnButton({ label: overwrite, ariaLabel: overwrite })
      ],
      defaultButton: 0
    });
    if (!choice.button.accept) {
      return null;
    }
    if (choice.button.label === overwrite) {
      return target;
    }
    const name = await InputDialog.getText({
      title: trans.__('Save the mask as'),
      label: trans.__('File name in %1', PathExt.dirname(target) || '/'),
      text: await Private.freeName(contents, target)
    });
    if (!name.button.accept || !name.value?.trim()) {
      return null;
    }
    const file = name.value.trim();
    target = PathExt.join(PathExt.dirname(target), /\.tiff?$/i.test(file) ? file : `${file}.tif`);
  }
}

namespace Private {
  /** `a/b_mask.tif` → the name of the first free `a/b_mask-N.tif` (N = 2, 3, …). */
  export async function freeName(contents: Contents.IManager, path: string): Promise<string> {
    const ext = PathExt.extname(path);
    const stem = PathExt.basename(path, ext);
    for (let n = 2; n < 1000; n++) {
      const name = `${stem}-${n}${ext}`;
      if (!(await fileExists(contents, PathExt.join(PathExt.dirname(path), name)))) {
        return name;
      }
    }
    return `${stem}-new${ext}`;
  }
}
