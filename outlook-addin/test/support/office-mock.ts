/**
 * office-addin-mock, loadable under jest. The mock imports office-addin-manifest only for its
 * OfficeApp enum, but that package's main module pulls in an ES-module-only dependency
 * (strip-bom, via @microsoft/app-manifest) that jest's CommonJS runtime cannot load. So the
 * manifest package is replaced, for the mock only, by its own enum module.
 */
jest.mock('office-addin-manifest', () => jest.requireActual('office-addin-manifest/lib/officeApp'));

export { OfficeMockObject } from 'office-addin-mock';
