/**
 * Reads a 2-D float array written by `numpy.save` (the NPY format, versions
 * 1.0–3.0: magic, a little-endian header length, a Python-literal header
 * dict, then the raw data). Enough for `model.item_factors` of the
 * `implicit` library: dtype float32 or float64, either byte order, C or
 * Fortran order.
 */
import { AttuneError } from '../../../errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** A parsed 2-D array, row-major. */
export interface Matrix2D {
  rows: number;
  columns: number;
  values: Float64Array;
}

/**
 * Parses `bytes` as a 2-D float NPY file of at most `maxColumns` columns;
 * throws `BAD_FACTORS` (message prefixed by `api`) otherwise.
 */
export function parseNpy(bytes: Uint8Array, api: string, maxColumns = Infinity): Matrix2D {
  const bad = (what: string): never => {
    throw new AttuneError('BAD_FACTORS', `${api}: not a usable .npy file of item factors: ${what}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    bad('it does not start with the NPY magic \\x93NUMPY (write it with numpy.save)');
  const major = bytes[6] as number;
  if (major < 1 || major > 3) bad(`unknown NPY version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) bad('the header runs past the end of the file');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    bad('its header lacks descr, fortran_order or shape');
  const shape = (shapeText as string)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.length !== 2 || shape.some((n) => !Number.isInteger(n) || n < 0))
    bad(`it must hold a 2-D array (items × factors), got shape (${shapeText})`);
  const [rows, columns] = shape as [number, number];
  if (columns > maxColumns) bad(`it has ${columns} columns (factors); at most ${maxColumns} are supported`);
  const match = /^([<>|=])f([48])$/.exec(descr as string);
  if (match === null) bad(`dtype ${descr} is not float32 or float64`);
  const size = Number((match as RegExpExecArray)[2]);
  const littleEndian = (match as RegExpExecArray)[1] !== '>';
  const count = rows * columns;
  if (dataStart + count * size > bytes.length) bad(`it holds fewer than ${rows} × ${columns} numbers`);
  const values = new Float64Array(count);
  for (let n = 0; n < count; n++) {
    const at = dataStart + n * size;
    const v = size === 4 ? view.getFloat32(at, littleEndian) : view.getFloat64(at, littleEndian);
    // Fortran order stores column after column.
    const target = fortran === 'True' ? (n % rows) * columns + Math.floor(n / rows) : n;
    values[target] = v;
  }
  return { rows, columns, values };
}
