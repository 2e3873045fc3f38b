// The one field, not the whole manifest: bundlers then inline only the version.
import { version } from '../../package.json';

export const APP_NAME = 'hopscope';
export const APP_VERSION: string = version;
