/**
 * Export of the radial profile about the current center: a CSV file beside the image (through
 * the contents API, asking before overwriting), the clipboard (the same CSV), and a notebook code
 * cell (numpy that recomputes the profile from the image and the center, or loads the CSV). Each
 * says what it did.
 */
import { Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { copyText, NotReady, targetNotebook, tellUser } from '../centering/notebook-commands.js';
import type { CenterSession } from '../centering/session.js';
import type { CenterSessions, ICenterCommandsOptions } from '../centering/sessions.js';
import { fileExists } from '../masks/file-io.js';
import { chooseSavePath } from '../masks/save-dialog.js';
import {
  imagePathsFor,
  insertCodeCellBelow,
  profileAsCsv,
  profileCsvPath,
  profileLoadCode,
  profileRecomputeCode
} from '../notebook/index.js';
import type { DiffractionDocument } from '../viewer/widget.js';
import type { CheckResult } from '../worker/check-client.js';
import type { CenterChecks } from './checks.js';
import { CheckCommandIDs } from './command-ids.js';

/** The variable prefix of the inserted code: `profile_radius`, `profile_value`, `profile_count`. */
export const PROFILE_VARIABLE = 'profile';

export function addExportCommands(options: ICenterCommandsOptions, sessions: CenterSessions, checks: CenterChecks): void {
  const { app, trans, notebooks } = options;
  const { commands } = app;
  const contents = app.serviceManager.contents;
  const viewerArgs = {
    args: { type: 'object', properties: { viewer: { type: 'string' }, notebookPath: { type: 'string' } } }
  };
  const hasCenter = (args: Record<string, unknown>) => checks.target(args as any)?.content.center != null;

  /** The profile about the target viewer's center, and what goes with it. */
  const profileOf = async (
    args: Record<string, unknown>
  ): Promise<{ doc: DiffractionDocument; session: CenterSession; result: CheckResult; sigma: [number, number] | null }> => {
    const doc = checks.target(args as any);
    const model = doc ? checks.model(doc) : null;
    const session = doc ? sessions.get(doc) : null;
    if (!doc || !model || !session) {
      throw new NotReady(trans.__('Open a diffraction image first.'));
    }
    let result: CheckResult;
    try {
      result = await model.current();
    } catch (error) {
      const reason = (error as Error).message;
      throw reason === 'no-center'
        ? new NotReady(trans.__('There is no center yet: run Find Center or place it by hand first.'))
        : reason === 'no-frame'
          ? new NotReady(trans.__('The image is not loaded yet.'))
          : error;
    }
    return { doc, session, result, sigma: Private.sigmaAt(session, result) };
  };

  commands.addCommand(CheckCommandIDs.saveProfile, {
    label: trans.__('Save Radial Profile as CSV'),
    caption: trans.__('Write the radial profile about the center as NAME_profile.csv beside the image'),
    execute: async args => {
      try {
        const { doc, result, sigma } = await profileOf(args);
        const image = doc.context.path;
        const path = await chooseSavePath(contents, profileCsvPath(image), trans, Private.csvKind(trans));
        if (path === null) {
          Notification.info(trans.__('The radial profile was not saved.'), { autoClose: 3000 });
          return null;
        }
        await contents.save(path, { type: 'file', format: 'text', content: profileAsCsv(result, image, sigma) });
        Notification.success(
          trans.__(
            'Radial profile about (%1, %2) saved as %3 (%4 bins).',
            result.center.row.toFixed(2),
            result.center.col.toFixed(2),
            path,
            result.radius.length
          ),
          { autoClose: 4000 }
        );
        return path;
      } catch (error) {
        tellUser(trans.__('Save radial profile'))(error);
        return null;
      }
    },
    isEnabled: hasCenter,
    describedBy: viewerArgs
  });

  commands.addCommand(CheckCommandIDs.copyProfile, {
    label: trans.__('Copy Radial Profile'),
    caption: trans.__('Copy the radial profile about the center as CSV (radius, value, count)'),
    execute: async args => {
      try {
        const { doc, result, sigma } = await profileOf(args);
        const text = profileAsCsv(result, doc.context.path, sigma);
        await copyText(text);
        Notification.success(trans.__('Radial profile copied as CSV (%1 bins).', result.radius.length), { autoClose: 3000 });
        return text;
      } catch (error) {
        tellUser(trans.__('Copy radial profile'))(error);
        return null;
      }
    },
    isEnabled: hasCenter,
    describedBy: viewerArgs
  });

  commands.addCommand(CheckCommandIDs.insertProfileCode, {
    label: trans.__('Insert Radial Profile as Code'),
    caption: trans.__(
      'Insert numpy code that recomputes the radial profile from the image and the center (or loads its CSV) below the active cell of the last active notebook'
    ),
    execute: async args => {
      try {
        const { doc, session, result } = await profileOf(args);
        const panel = targetNotebook(notebooks, trans, args.notebookPath);
        const notebookPath = panel.context.localPath;
        const code = await Private.profileCode(doc, session, result, notebookPath, trans, contents);
        const index = await insertCodeCellBelow(panel, code);
        Notification.success(
          trans.__('Radial profile inserted as code in cell %1 of %2.', index + 1, panel.context.path),
          { autoClose: 4000 }
        );
        return code;
      } catch (error) {
        tellUser(trans.__('Insert radial profile as code'))(error);
        return null;
      }
    },
    isEnabled: hasCenter,
    describedBy: viewerArgs
  });
}

namespace Private {
  /** The dialogs of a profile CSV that exists. */
  export function csvKind(trans: TranslationBundle) {
    return {
      existsTitle: trans.__('The profile file exists'),
      existsBody: (path: string) =>
        trans.__('%1 already exists. Overwrite it, save the profile under another name, or cancel?', path),
      saveAsTitle: trans.__('Save the radial profile as'),
      extension: '.csv',
      accepts: /\.(csv|txt)$/i
    };
  }

  /** The engine's sigma when the profile is about the center the engine found. */
  export function sigmaAt(session: CenterSession, result: CheckResult): [number, number] | null {
    const c = session.center;
    const s = c?.method === 'autocenter' ? c.engine?.sigma : undefined;
    return s && c && c.row === result.center.row && c.col === result.center.col && Number.isFinite(s[0]) && Number.isFinite(s[1])
      ? [s[0], s[1]]
      : null;
  }

  /**
   * numpy that recomputes the profile (a TIFF image whose mask is a mask file or none: what
   * tifffile and the file reproduce), else numpy that loads the saved CSV.
   */
  export async function profileCode(
    doc: DiffractionDocument,
    session: CenterSession,
    result: CheckResult,
    notebookPath: string,
    trans: TranslationBundle,
    contents: Parameters<typeof fileExists>[0]
  ): Promise<string> {
    const imagePath = doc.context.localPath;
    const mask = session.mask;
    const noMask = !mask || mask.isEmpty;
    const maskFile =
      mask && !mask.isEmpty && mask.source.kind === 'file' && !mask.shapes.length && !mask.inverted
        ? mask.source.description
        : null;
    if (/\.tiff?$/i.test(imagePath) && (noMask || maskFile)) {
      return profileRecomputeCode(PROFILE_VARIABLE, imagePathsFor(notebookPath, imagePath).path, result.center, {
        maskPath: maskFile ? imagePathsFor(notebookPath, maskFile).path : null,
        binWidth: result.binWidth,
        statistic: result.statistic,
        frame: doc.content.frameIndex
      });
    }
    const csv = profileCsvPath(doc.context.path);
    if (!(await fileExists(contents, csv))) {
      throw new NotReady(
        trans.__(
          'Save the radial profile as CSV first (%1): numpy cannot recompute it here (%2).',
          PathExt.basename(csv),
          /\.tiff?$/i.test(imagePath) ? trans.__('the mask has drawn shapes or is not a mask file') : trans.__('not a TIFF image')
        )
      );
    }
    return profileLoadCode(PROFILE_VARIABLE, imagePathsFor(notebookPath, csv).path);
  }
}
