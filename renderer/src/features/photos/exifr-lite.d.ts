// exifr's "lite" build (JPEG/HEIC/TIFF, the TIFF-based EXIF and GPS blocks): a third of the full
// build, and without its dynamic import of Node's fs, which a worker bundle must not contain.
declare module 'exifr/dist/lite.esm.mjs' {
  import exifr from 'exifr';
  export default exifr;
}
