// The public shape of a star: which image, and whether it is starred now.
export type PublicFavourite = { image_id: string; favourite: boolean };

export function toPublicFavourite(imageId: string, favourite: boolean): PublicFavourite {
  return { image_id: imageId, favourite };
}
