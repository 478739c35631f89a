export { DesignerHost } from './designer-host';
export { SampleOffer } from './sample-offer';
